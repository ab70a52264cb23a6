/* The toolbar popup: on/off globally and for this site, API status, warnings on this tab. */
"use strict";

const API_TEXT = {
  online: "Checker online",
  offline: "Checker offline: you can post as usual",
  rate_limited: "Checker busy: paused for a moment",
};

/** Return the active tab and its origin (or null for pages we cannot check). */
async function currentTab() {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  let url = null;
  try {
    url = tab && tab.url ? new URL(tab.url) : null;
  } catch {
    url = null;
  }
  const web = url && (url.protocol === "http:" || url.protocol === "https:");
  return { tab, host: web ? url.hostname : "", origin: web ? url.origin : "" };
}

/** Show the API's status from the service worker's /healthz probe. */
async function showApiStatus() {
  const row = document.getElementById("api");
  const answer = await chrome.runtime.sendMessage({ type: PPC.MSG.HEALTH }).catch(() => null);
  const status = answer ? answer.status : "offline";
  row.dataset.status = status;
  document.getElementById("api-text").textContent = API_TEXT[status] || API_TEXT.offline;
}

/** Ask this tab's content script how many warnings are open. */
async function showPageStatus(tab, origin) {
  const count = document.getElementById("count");
  const answer = tab ? await chrome.tabs.sendMessage(tab.id, { type: PPC.MSG.PAGE_STATUS }).catch(() => null) : null;
  if (answer) {
    count.textContent = String(answer.count);
    count.title = answer.severity ? `Highest: ${answer.severity}` : "";
    return;
  }
  count.textContent = "–";
  document.getElementById("grant-row").hidden = !origin;
}

async function main() {
  const settings = await PPC.loadSettings(chrome.storage);
  const { tab, host, origin } = await currentTab();
  const enabled = document.getElementById("enabled");
  const siteEnabled = document.getElementById("site-enabled");
  enabled.checked = settings.enabled;
  document.getElementById("site-name").textContent = host || "this page";
  siteEnabled.checked = !settings.disabledSites.includes(host);
  siteEnabled.disabled = !host || !settings.enabled;

  enabled.addEventListener("change", async () => {
    await chrome.storage.sync.set({ enabled: enabled.checked });
    siteEnabled.disabled = !host || !enabled.checked;
  });
  siteEnabled.addEventListener("change", async () => {
    const { disabledSites } = await chrome.storage.sync.get({ disabledSites: [] });
    const others = disabledSites.filter((site) => site !== host);
    await chrome.storage.sync.set({ disabledSites: siteEnabled.checked ? others : [...others, host] });
  });
  document.getElementById("grant").addEventListener("click", async () => {
    // Optional host permission for this one site, then the worker registers the content script.
    const granted = await chrome.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
    if (!granted) return;
    const { extraSites } = await chrome.storage.sync.get({ extraSites: [] });
    if (!extraSites.includes(origin)) await chrome.storage.sync.set({ extraSites: [...extraSites, origin] });
    await chrome.runtime.sendMessage({ type: PPC.MSG.SYNC_SITES });
    await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: ["common.js", "content.js"] });
    document.getElementById("grant-row").hidden = true;
    showPageStatus(tab, origin);
  });
  showApiStatus();
  showPageStatus(tab, origin);
}

main();
