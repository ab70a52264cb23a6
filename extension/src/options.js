/* The options page: API URL and key, pause length, which categories to show, event reports. */
"use strict";

const form = document.getElementById("form");
const status = document.getElementById("status");

/** Return the categories to list: the API's catalogue, or the built-in fallback. */
async function categories() {
  const answer = await chrome.runtime.sendMessage({ type: PPC.MSG.POLICY }).catch(() => null);
  if (answer && answer.policy) return answer.policy.categories.map((c) => ({ id: c.id, title: c.title, colour: c.colour }));
  return Object.entries(PPC.FALLBACK_CATEGORIES).map(([id, c]) => ({ id, ...c }));
}

/** Draw one checkbox per category (checked = shown). */
function renderCategories(list, hidden) {
  const box = document.getElementById("categories");
  box.replaceChildren();
  for (const c of list) {
    const input = document.createElement("input");
    input.type = "checkbox";
    input.id = `cat-${c.id}`;
    input.name = "category";
    input.value = c.id;
    input.checked = !hidden.includes(c.id);
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = /^#[0-9a-fA-F]{6}$/.test(c.colour) ? c.colour : "#6b7280";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = c.title;
    const row = document.createElement("div");
    row.className = "category";
    row.append(input, swatch, label);
    box.append(row);
  }
}

/** Return true when the extension may call this API URL, asking for the permission if needed. */
async function ensurePermission(apiUrl) {
  const origins = [`${new URL(apiUrl).origin}/*`];
  if (await chrome.permissions.contains({ origins })) return true;
  return chrome.permissions.request({ origins }).catch(() => false);
}

async function load() {
  const settings = await PPC.loadSettings(chrome.storage);
  form.apiUrl.value = settings.apiUrl;
  form.apiKey.value = settings.apiKey;
  form.pauseMs.value = String(settings.pauseMs);
  form.reportEvents.checked = settings.reportEvents !== false;
  renderCategories(await categories(), settings.hiddenCategories);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const apiUrl = PPC.normaliseApiUrl(form.apiUrl.value);
  const pauseMs = Math.round(Number(form.pauseMs.value));
  if (!apiUrl) {
    status.textContent = "Enter an http:// or https:// URL.";
    return;
  }
  if (!Number.isFinite(pauseMs) || pauseMs < 100 || pauseMs > 5000) {
    status.textContent = "The pause must be between 100 and 5000 milliseconds.";
    return;
  }
  if (!(await ensurePermission(apiUrl))) {
    status.textContent = "Without permission to reach that address the checker cannot work.";
    return;
  }
  const hiddenCategories = [...form.querySelectorAll('input[name="category"]')].filter((i) => !i.checked).map((i) => i.value);
  await chrome.storage.sync.set({ apiUrl, pauseMs, hiddenCategories, reportEvents: form.reportEvents.checked });
  await chrome.storage.local.set({ apiKey: form.apiKey.value.trim() });
  form.apiUrl.value = apiUrl;
  status.textContent = "Saved.";
});

document.getElementById("test").addEventListener("click", async () => {
  status.textContent = "Testing…";
  const answer = await chrome.runtime.sendMessage({ type: PPC.MSG.HEALTH }).catch(() => null);
  status.textContent = answer && answer.status === "online" ? `Connected to ${answer.apiUrl}.` : "The checker did not answer. Save the URL first, then test.";
});

load();
