/*
 * Shared constants for every part of the extension: the service worker (importScripts), the
 * content script, the popup and the options page. Only settings live in chrome.storage; post
 * text never does.
 */
"use strict";

var PPC = (() => {
  /** Settings kept in chrome.storage.sync, with their defaults. */
  const DEFAULT_SETTINGS = Object.freeze({
    enabled: true,
    disabledSites: [],
    extraSites: [],
    apiUrl: "http://127.0.0.1:8000",
    pauseMs: 300,
    hiddenCategories: [],
    reportEvents: true,
  });

  /** Settings kept in chrome.storage.local only (never synced): the API key. */
  const DEFAULT_LOCAL_SETTINGS = Object.freeze({ apiKey: "" });

  /**
   * Keys the service worker may keep in chrome.storage.session: the policy, the API's state and
   * the pause of event reports after a 429 on /v1/events.
   */
  const SESSION_KEYS = Object.freeze(["policyCache", "apiState", "eventState"]);

  /** Message types of the one dispatcher in the service worker and in the content script. */
  const MSG = Object.freeze({
    CHECK: "check",
    POLICY: "policy",
    HEALTH: "health",
    OPEN_POLICY: "openPolicy",
    TAB_COUNT: "tabCount",
    PAGE_STATUS: "pageStatus",
    SYNC_SITES: "syncSites",
    EVENT: "event",
  });

  /** What happened after a warning, as POST /v1/events names it (counted, never stored as rows). */
  const EVENTS = Object.freeze([
    "warning_shown",
    "fix_applied",
    "edited_before_posting",
    "posted_anyway",
    "post_cancelled",
  ]);

  /**
   * Category ids with titles and colours to fall back on when /v1/policy cannot be fetched;
   * the API's catalogue is the source of truth.
   */
  const FALLBACK_CATEGORIES = Object.freeze({
    third_party: { title: "Names another person", colour: "#d97706" },
    personal_data: { title: "Personal data", colour: "#dc2626" },
    university_branding: { title: "Speaking for the university", colour: "#7c3aed" },
    complaint_or_proceedings: { title: "Complaint or legal proceedings", colour: "#2563eb" },
    harassment: { title: "Harassment or abuse", colour: "#be123c" },
    confidential: { title: "Confidential information", colour: "#0f766e" },
    learning_platform_content: { title: "Learning platform content", colour: "#0891b2" },
    academic_misconduct: { title: "Academic misconduct", colour: "#65a30d" },
    impersonation: { title: "Impersonation", colour: "#4b5563" },
    covert_recording: { title: "Covert recording", colour: "#b45309" },
  });

  /** Hosts the extension supports out of the box, and the API's `platform` value for each. */
  const PLATFORMS = Object.freeze([
    ["x.com", "x"],
    ["twitter.com", "x"],
    ["facebook.com", "facebook"],
    ["instagram.com", "instagram"],
    ["linkedin.com", "linkedin"],
    ["reddit.com", "reddit"],
    ["web.whatsapp.com", "whatsapp"],
    ["tiktok.com", "tiktok"],
  ]);

  const SEVERITY_RANK = Object.freeze({ low: 1, medium: 2, high: 3 });

  /** Return the API `platform` for a hostname ("other" for any other site). */
  function platformFor(hostname) {
    const host = String(hostname || "").toLowerCase();
    for (const [domain, platform] of PLATFORMS) {
      if (host === domain || host.endsWith("." + domain)) return platform;
    }
    return "other";
  }

  /** Return the API base URL without a trailing slash, or "" when it is not http(s). */
  function normaliseApiUrl(raw) {
    try {
      const url = new URL(String(raw || "").trim());
      if (url.protocol !== "http:" && url.protocol !== "https:") return "";
      return url.origin + url.pathname.replace(/\/+$/, "");
    } catch {
      return "";
    }
  }

  /** Return all settings (sync and local) merged over their defaults. */
  async function loadSettings(storage) {
    const [synced, local] = await Promise.all([
      storage.sync.get(DEFAULT_SETTINGS),
      storage.local.get(DEFAULT_LOCAL_SETTINGS),
    ]);
    return { ...DEFAULT_SETTINGS, ...synced, ...local };
  }

  /** Return true when the settings switch the checker off for this hostname. */
  function siteDisabled(settings, hostname) {
    return !settings.enabled || (settings.disabledSites || []).includes(String(hostname).toLowerCase());
  }

  return Object.freeze({
    DEFAULT_SETTINGS,
    DEFAULT_LOCAL_SETTINGS,
    SESSION_KEYS,
    MSG,
    EVENTS,
    FALLBACK_CATEGORIES,
    PLATFORMS,
    SEVERITY_RANK,
    platformFor,
    normaliseApiUrl,
    loadSettings,
    siteDisabled,
  });
})();
