/*
 * The service worker (Chromium) or event page (Firefox). Stateless: every listener is registered
 * at the top level, everything it needs is read from chrome.storage when an event arrives, and
 * every call to the API is made from here. Post text is only ever put in the body of /v1/check;
 * event reports carry category ids and the platform only.
 */
"use strict";

if (typeof PPC === "undefined" && typeof importScripts === "function") {
  importScripts("common.js");
}

/** How long one check may take before the student is told the checker is offline. */
const CHECK_TIMEOUT_MS = 5000;
/** How long a fetched policy catalogue is reused. */
const POLICY_TTL_MS = 60 * 60 * 1000;
/** Backoff after a 429 that came without a usable Retry-After header. */
const DEFAULT_RETRY_MS = 5000;
const MAX_RETRY_MS = 10 * 60 * 1000;
/** How long one event report may take; nothing waits for it, it is simply dropped. */
const EVENT_TIMEOUT_MS = 5000;
/** Id of the dynamically registered content script for sites the student enabled by hand. */
const EXTRA_SITES_SCRIPT = "ppc-extra-sites";

/** Return the headers for an API request (with the API key when one is set). */
function apiHeaders(settings, json) {
  const headers = { Accept: "application/json" };
  if (json) headers["Content-Type"] = "application/json";
  if (settings.apiKey) headers.Authorization = `Bearer ${settings.apiKey}`;
  return headers;
}

/**
 * Return the milliseconds a Retry-After header asks for (seconds or an HTTP date). Both forms
 * have one-second resolution and servers truncate (flask-limiter sends int(seconds left)), so
 * one second is added: retrying at the truncated time would only earn another 429.
 */
function retryAfterMs(header) {
  if (!header) return DEFAULT_RETRY_MS;
  const seconds = Number(header);
  let wait = DEFAULT_RETRY_MS;
  if (Number.isFinite(seconds)) wait = seconds * 1000 + 1000;
  else if (Number.isFinite(Date.parse(header))) wait = Date.parse(header) - Date.now() + 1000;
  return Math.min(Math.max(wait, 1000), MAX_RETRY_MS);
}

/** Return the findings of an API response that are well formed for a text of `length`. */
function validFindings(body, length) {
  const findings = Array.isArray(body && body.findings) ? body.findings : [];
  const str = (value) => (typeof value === "string" ? value : "");
  return findings
    .filter(
      (f) =>
        f &&
        typeof f.category === "string" &&
        Number.isInteger(f.start_utf16) &&
        Number.isInteger(f.end_utf16) &&
        f.start_utf16 >= 0 &&
        f.start_utf16 < f.end_utf16 &&
        f.end_utf16 <= length,
    )
    .map((f) => ({
      category: f.category,
      type: str(f.type),
      start: f.start_utf16,
      end: f.end_utf16,
      severity: ["low", "medium", "high"].includes(f.severity) ? f.severity : "low",
      clauses: Array.isArray(f.clauses) ? f.clauses.filter((c) => typeof c === "string") : [],
      message: str(f.message),
      suggestion: str(f.suggestion),
      replacement: typeof f.replacement === "string" ? f.replacement : null,
    }));
}

/** Return the hostname of the page a message came from ("" for extension pages). */
function senderHost(sender) {
  try {
    const url = (sender && (sender.url || (sender.tab && sender.tab.url))) || "";
    return url.startsWith("http") ? new URL(url).hostname : "";
  } catch {
    return "";
  }
}

/** Check one draft with the API; never throws, always answers with a `status`. */
async function handleCheck(message, sender) {
  const settings = await PPC.loadSettings(chrome.storage);
  const host = senderHost(sender);
  if (PPC.siteDisabled(settings, host)) return { status: "disabled" };
  const base = PPC.normaliseApiUrl(settings.apiUrl);
  const text = typeof message.text === "string" ? message.text : "";
  if (!base) return { status: "error", code: 0 };
  if (!text.trim()) return { status: "ok", findings: [], risk: { level: "none", score: 0 } };

  // One 429 pauses every tab until the API's Retry-After has passed.
  const { apiState } = await chrome.storage.session.get("apiState");
  if (apiState && apiState.until > Date.now()) {
    return { status: "rate_limited", retryAfterMs: apiState.until - Date.now() };
  }
  let response;
  try {
    response = await fetch(`${base}/v1/check`, {
      method: "POST",
      headers: apiHeaders(settings, true),
      body: JSON.stringify({ text, platform: String(message.platform || "other") }),
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  } catch {
    return { status: "offline" };
  }
  if (response.status === 429) {
    const wait = retryAfterMs(response.headers.get("Retry-After"));
    await chrome.storage.session.set({ apiState: { status: "rate_limited", until: Date.now() + wait } });
    return { status: "rate_limited", retryAfterMs: wait };
  }
  if (apiState) await chrome.storage.session.remove("apiState");
  if (response.status === 401 || response.status === 403) return { status: "unauthorized" };
  if (response.status >= 500) return { status: "offline" };
  if (!response.ok) return { status: "error", code: response.status };
  try {
    const body = await response.json();
    const risk = body && body.risk && typeof body.risk.level === "string" ? body.risk : { level: "none" };
    return { status: "ok", findings: validFindings(body, text.length), risk: { level: risk.level } };
  } catch {
    return { status: "offline" };
  }
}

/** Return the policy catalogue from /v1/policy, cached in chrome.storage.session. */
async function handlePolicy() {
  const settings = await PPC.loadSettings(chrome.storage);
  const base = PPC.normaliseApiUrl(settings.apiUrl);
  const { policyCache } = await chrome.storage.session.get("policyCache");
  if (policyCache && policyCache.apiUrl === base && Date.now() - policyCache.fetchedAt < POLICY_TTL_MS) {
    return { status: "ok", policy: policyCache.data };
  }
  try {
    const response = await fetch(`${base}/v1/policy`, {
      headers: apiHeaders(settings, false),
      credentials: "omit",
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    if (!response.ok) return { status: "offline", policy: policyCache ? policyCache.data : null };
    const data = await response.json();
    if (!data || !Array.isArray(data.categories) || !Array.isArray(data.clauses)) {
      return { status: "error", policy: null };
    }
    await chrome.storage.session.set({ policyCache: { apiUrl: base, fetchedAt: Date.now(), data } });
    return { status: "ok", policy: data };
  } catch {
    return { status: "offline", policy: policyCache ? policyCache.data : null };
  }
}

/** Report whether the configured API answers /healthz, and whether it is rate limiting us. */
async function handleHealth() {
  const settings = await PPC.loadSettings(chrome.storage);
  const base = PPC.normaliseApiUrl(settings.apiUrl);
  const { apiState } = await chrome.storage.session.get("apiState");
  if (apiState && apiState.until > Date.now()) return { status: "rate_limited", apiUrl: base };
  try {
    const response = await fetch(`${base}/healthz`, {
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    return { status: response.ok ? "online" : "offline", apiUrl: base };
  } catch {
    return { status: "offline", apiUrl: base };
  }
}

/** Return the categories of an event report: known ids only, each once, in a stable order. */
function eventCategories(raw, policyCache) {
  const known = new Set(Object.keys(PPC.FALLBACK_CATEGORIES));
  const catalogue = policyCache && policyCache.data && Array.isArray(policyCache.data.categories) ? policyCache.data.categories : [];
  for (const c of catalogue) if (c && typeof c.id === "string") known.add(c.id);
  const ids = Array.isArray(raw) ? raw.filter((c) => typeof c === "string" && known.has(c)) : [];
  return [...new Set(ids)].sort().slice(0, known.size);
}

/**
 * Count what happened after a warning with POST /v1/events: fire-and-forget, sent once, never
 * retried. Only the event, category ids and the platform go out: no text, offsets, page address,
 * API key, id or time (the API files it under its own day); nothing is kept here either.
 */
async function handleEvent(message, sender) {
  const settings = await PPC.loadSettings(chrome.storage);
  const host = senderHost(sender);
  // Only content scripts in a tab report; the switch on the options page turns reports off.
  if (!settings.reportEvents || !sender.tab || PPC.siteDisabled(settings, host)) return { status: "off" };
  const event = PPC.EVENTS.includes(message.event) ? message.event : "";
  const { policyCache, apiState, eventState } = await chrome.storage.session.get(["policyCache", "apiState", "eventState"]);
  const categories = eventCategories(message.categories, policyCache);
  const base = PPC.normaliseApiUrl(settings.apiUrl);
  if (!event || !categories.length || !base) return { status: "ignored" };
  // A 429 on checks pauses everything; a 429 on events pauses only events. Nothing is queued.
  const now = Date.now();
  if ((apiState && apiState.until > now) || (eventState && eventState.until > now)) return { status: "rate_limited" };
  let response;
  try {
    response = await fetch(`${base}/v1/events`, {
      method: "POST",
      // No API key: a key could tell one student's browser from another's, and events need none.
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ event, categories, platform: PPC.platformFor(host) }),
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      signal: AbortSignal.timeout(EVENT_TIMEOUT_MS),
    });
  } catch {
    return { status: "offline" };
  }
  if (response.status === 429) {
    const wait = retryAfterMs(response.headers.get("Retry-After"));
    await chrome.storage.session.set({ eventState: { status: "rate_limited", until: Date.now() + wait } });
    return { status: "rate_limited", retryAfterMs: wait };
  }
  if (eventState) await chrome.storage.session.remove("eventState");
  return { status: response.ok ? "ok" : "error", code: response.status };
}

/** Open the policy page at one clause in a new tab. */
async function handleOpenPolicy(message) {
  const clause = typeof message.clause === "string" ? message.clause : "";
  await chrome.tabs.create({ url: chrome.runtime.getURL(`policy.html#${encodeURIComponent(clause)}`) });
  return { status: "ok" };
}

/** Show the tab's open warning count on the toolbar icon. */
async function handleTabCount(message, sender) {
  const tabId = sender && sender.tab ? sender.tab.id : undefined;
  if (tabId === undefined) return { status: "ignored" };
  const count = Number.isInteger(message.count) && message.count > 0 ? message.count : 0;
  const colour = message.severity === "high" ? "#b91c1c" : message.severity === "medium" ? "#b45309" : "#475569";
  await chrome.action.setBadgeText({ tabId, text: count ? String(count) : "" });
  await chrome.action.setBadgeBackgroundColor({ tabId, color: colour });
  return { status: "ok" };
}

/**
 * Register the content script for the sites the student switched on by hand (popup), limited to
 * the origins they granted. Derived from storage and permissions each time: nothing in memory.
 */
async function syncExtraSites() {
  const settings = await PPC.loadSettings(chrome.storage);
  const granted = [];
  for (const origin of settings.extraSites || []) {
    const pattern = `${origin}/*`;
    if (await chrome.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [EXTRA_SITES_SCRIPT] });
  if (!granted.length) {
    if (registered.length) await chrome.scripting.unregisterContentScripts({ ids: [EXTRA_SITES_SCRIPT] });
    return { status: "ok", sites: [] };
  }
  const script = {
    id: EXTRA_SITES_SCRIPT,
    matches: granted,
    js: ["common.js", "content.js"],
    runAt: "document_start",
  };
  if (registered.length) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([script]);
  return { status: "ok", sites: granted };
}

const HANDLERS = {
  [PPC.MSG.CHECK]: handleCheck,
  [PPC.MSG.POLICY]: handlePolicy,
  [PPC.MSG.HEALTH]: handleHealth,
  [PPC.MSG.OPEN_POLICY]: handleOpenPolicy,
  [PPC.MSG.TAB_COUNT]: handleTabCount,
  [PPC.MSG.SYNC_SITES]: syncExtraSites,
  [PPC.MSG.EVENT]: handleEvent,
};

// The one dispatcher: named message types, each answered asynchronously.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = message && Object.hasOwn(HANDLERS, message.type) ? HANDLERS[message.type] : null;
  if (!handler || sender.id !== chrome.runtime.id) return false;
  handler(message, sender).then(sendResponse, () => sendResponse({ status: "error", code: 0 }));
  return true;
});

chrome.runtime.onInstalled.addListener(() => {
  syncExtraSites().catch(() => {});
});
chrome.runtime.onStartup.addListener(() => {
  syncExtraSites().catch(() => {});
});
chrome.permissions.onRemoved.addListener(() => {
  syncExtraSites().catch(() => {});
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "sync" && "extraSites" in changes) syncExtraSites().catch(() => {});
});
