/*
 * Pre-Post Check content script.
 *
 * Finds composers (textarea, contenteditable, role="textbox"), sends their text to the service
 * worker after a pause in typing, and draws the findings in an overlay: a shadow-DOM layer on top
 * of the page that never touches the editor's own DOM. Fixes go through the editor's input path
 * (selection + beforeinput / execCommand("insertText")) so the site's state stays consistent.
 * Before posting with medium or high findings open, one click or Ctrl/Cmd+Enter is held back and
 * a dialog offers "Edit post" or "Post anyway". Every failure fails open: the site keeps working.
 *
 * Nothing here stores post text anywhere but in this page's memory.
 */
(() => {
  "use strict";

  if (globalThis.__prePostCheckLoaded) return;
  globalThis.__prePostCheckLoaded = true;

  // ------------------------------------------------------------------------------------------
  // Constants
  // ------------------------------------------------------------------------------------------

  const EDITOR_SELECTOR = 'textarea, [contenteditable]:not([contenteditable="false"]), [role="textbox"]';
  const BLOCK_TAGS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGCAPTION", "FIGURE",
    "FOOTER", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P",
    "PRE", "SECTION", "TABLE", "TR", "UL",
  ]);
  const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IMG", "SVG", "VIDEO", "AUDIO"]);
  const BLOCKING = new Set(["medium", "high"]);
  // Labels of the buttons that publish a post on the supported sites (and in Russian / Kazakh).
  const POST_LABEL = /^(post|post all|send|send now|tweet|tweet all|reply|reply all|share|share now|publish|comment|submit|опубликовать|отправить|поделиться|жариялау|жіберу)$/i;
  const POST_TESTID = /^(tweetButton|tweetButtonInline|dmComposerSendButton|comment-submission-button|post-button)$/;
  const IGNORED_NAME = /search|password|passwd|query/i;
  const OFFLINE_RETRY_MS = 15000;
  // A composer that goes blank this soon after the student's own delete or cut was emptied by
  // them; one the site blanks (after posting, on its own "Discard") has no such input before it.
  const CLEARED_BY_STUDENT_MS = 1000;
  const MAX_BUTTON_GAP_PX = 600;
  const HOVER_OPEN_MS = 250;
  const HOVER_CLOSE_MS = 350;
  const SEVERITY_COLOURS = { high: "#b91c1c", medium: "#b45309", low: "#1d4ed8" };
  const STATUS_TEXT = {
    offline: "Checker offline",
    rate_limited: "Checker paused",
    unauthorized: "Check API key",
    error: "Checker error",
  };

  const STYLES = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    .layer { position: fixed; top: 0; left: 0; width: 0; height: 0; }
    .clip { position: fixed; overflow: hidden; pointer-events: none; }
    .mark { position: absolute; pointer-events: none; border-bottom: 2px solid var(--ppc-colour);
      background: var(--ppc-tint); border-radius: 2px 2px 0 0; }
    .mirror { position: fixed; visibility: hidden; pointer-events: none; overflow: hidden;
      white-space: pre-wrap; overflow-wrap: break-word; margin: 0; }
    .badge { position: fixed; pointer-events: auto; display: inline-flex; align-items: center; gap: 4px;
      height: 22px; padding: 0 8px; border-radius: 11px; border: 0; cursor: pointer; color: #fff;
      background: #475569; font: 600 12px/22px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      box-shadow: 0 1px 4px rgba(0,0,0,.3); white-space: nowrap; }
    .badge[data-ppc-severity="high"] { background: #b91c1c; }
    .badge[data-ppc-severity="medium"] { background: #b45309; }
    .badge[data-ppc-severity="low"] { background: #1d4ed8; }
    .badge[data-ppc-status="ok"][data-ppc-count="0"] { background: #15803d; }
    .badge[data-ppc-status="offline"], .badge[data-ppc-status="error"],
    .badge[data-ppc-status="unauthorized"], .badge[data-ppc-status="rate_limited"] { background: #6b7280; }
    .badge:focus-visible, button:focus-visible, summary:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
    .card { position: fixed; pointer-events: auto; width: 360px; max-width: calc(100vw - 16px);
      max-height: min(460px, calc(100vh - 16px)); overflow: auto; background: #fff; color: #111827;
      border-radius: 10px; box-shadow: 0 10px 30px rgba(0,0,0,.22), 0 0 0 1px rgba(0,0,0,.08);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }
    .finding { padding: 12px 14px; border-top: 4px solid var(--ppc-colour); }
    .finding + .finding { border-top-width: 1px; border-top-color: #e5e7eb; }
    .head { display: flex; align-items: center; gap: 8px; font-weight: 650; }
    .dot { width: 10px; height: 10px; border-radius: 50%; background: var(--ppc-colour); flex: none; }
    .sev { margin-left: auto; font-size: 11px; font-weight: 600; text-transform: uppercase;
      letter-spacing: .04em; color: #4b5563; }
    .quote { margin: 6px 0 0; color: #374151; font-style: italic; overflow-wrap: anywhere; }
    .msg { margin: 6px 0 0; }
    .sugg { margin: 6px 0 0; color: #374151; }
    .sugg b { font-weight: 600; }
    details { margin: 6px 0 0; font-size: 13px; color: #374151; }
    summary { cursor: pointer; color: #1d4ed8; }
    details p { margin: 4px 0 0; padding-left: 10px; border-left: 2px solid #e5e7eb; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
    button.primary, button.secondary, button.link { font: 600 13px/1.2 system-ui, sans-serif;
      border-radius: 6px; padding: 7px 12px; cursor: pointer; }
    button.primary { background: #1d4ed8; color: #fff; border: 1px solid #1d4ed8; }
    button.secondary { background: #fff; color: #111827; border: 1px solid #d1d5db; }
    button.link { background: none; border: 0; padding: 2px 0; color: #1d4ed8; text-decoration: underline; }
    .backdrop { position: fixed; inset: 0; pointer-events: auto; background: rgba(15,23,42,.45);
      display: flex; align-items: center; justify-content: center; }
    .dialog { width: min(500px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto;
      background: #fff; color: #111827; border-radius: 12px; padding: 20px 22px;
      box-shadow: 0 20px 50px rgba(0,0,0,.3); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .dialog h2 { margin: 0 0 6px; font-size: 19px; }
    .dialog p { margin: 0 0 10px; }
    .dialog ul { list-style: none; margin: 0 0 14px; padding: 0; }
    .dialog li { padding: 8px 10px; margin: 6px 0; border-left: 4px solid var(--ppc-colour); background: #f9fafb; border-radius: 4px; }
    .dialog li .cat { font-weight: 650; }
    .dialog li .quote { margin: 2px 0 0; }
    .dialog li .msg { margin: 2px 0 0; font-size: 14px; }
    .dialog .actions { justify-content: flex-end; }
    @media (prefers-color-scheme: dark) {
      .card, .dialog { background: #1f2937; color: #f9fafb; }
      .quote, .sugg, details, .sev { color: #d1d5db; }
      .dialog li { background: #111827; }
      summary, button.link { color: #93c5fd; }
      button.secondary { background: #374151; color: #f9fafb; border-color: #4b5563; }
    }
  `;

  // ------------------------------------------------------------------------------------------
  // State (this page only; nothing here is persisted)
  // ------------------------------------------------------------------------------------------

  let settings = { ...PPC.DEFAULT_SETTINGS };
  let settingsLoaded = false;
  let policy = { categories: new Map(), clauses: new Map(), loaded: false };
  const composers = new Map();
  let ui = null;
  let lastActive = null;
  let renderQueued = false;
  let bypass = null;
  let card = null;
  let dialog = null;
  let lastTabCount = "";
  const platform = PPC.platformFor(location.hostname);

  // ------------------------------------------------------------------------------------------
  // Small helpers
  // ------------------------------------------------------------------------------------------

  /** Create an element; string children become text nodes (never parsed as HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  function active() {
    return settingsLoaded && !PPC.siteDisabled(settings, location.hostname);
  }

  function send(message) {
    try {
      return chrome.runtime.sendMessage(message).catch(() => null);
    } catch {
      // The extension was reloaded or removed: this page keeps working without it.
      return Promise.resolve(null);
    }
  }

  function categoryInfo(id) {
    const fromApi = policy.categories.get(id);
    const fallback = PPC.FALLBACK_CATEGORIES[id] || { title: id.replace(/_/g, " "), colour: "#6b7280" };
    const colour = fromApi && /^#[0-9a-fA-F]{6}$/.test(fromApi.colour) ? fromApi.colour : fallback.colour;
    return { title: (fromApi && fromApi.title) || fallback.title, colour };
  }

  function tint(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }

  function colourVars(el, category) {
    const { colour } = categoryInfo(category);
    el.style.setProperty("--ppc-colour", colour);
    el.style.setProperty("--ppc-tint", tint(colour, 0.13));
    return el;
  }

  /**
   * Return a new composer session: what has been reported for this post (event -> categories),
   * the categories of the warnings the student has open as of the last confirmed check, and
   * whether it was posted anyway. Category ids only: no text, offsets or times.
   */
  function newSession() {
    return { reported: new Map(), open: new Set(), posted: false };
  }

  function maxSeverity(findings) {
    let best = null;
    for (const f of findings) {
      if (!best || PPC.SEVERITY_RANK[f.severity] > PPC.SEVERITY_RANK[best]) best = f.severity;
    }
    return best;
  }

  function inOverlay(node) {
    if (!ui || !node) return false;
    return node === ui.host || ui.host.contains(node) || (node.getRootNode && node.getRootNode() === ui.root);
  }

  async function loadPolicy() {
    if (policy.loaded) return;
    const answer = await send({ type: PPC.MSG.POLICY });
    if (!answer || !answer.policy) return;
    const categories = new Map();
    const clauses = new Map();
    for (const c of answer.policy.categories || []) if (c && typeof c.id === "string") categories.set(c.id, c);
    for (const c of answer.policy.clauses || []) if (c && typeof c.id === "string") clauses.set(c.id, c);
    policy = { categories, clauses, loaded: true };
    scheduleRender();
  }

  // ------------------------------------------------------------------------------------------
  // Which elements are composers
  // ------------------------------------------------------------------------------------------

  /** Return the composer root for an element inside an editor, or null when it is not one. */
  function composerRoot(node) {
    let el = node && node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (!(el instanceof Element) || inOverlay(el)) return null;
    if (el.tagName === "INPUT") return null;
    if (el.tagName !== "TEXTAREA") {
      if (!el.isContentEditable) {
        // A role="textbox" wrapper around the real editing host.
        const inner = el.getAttribute("role") === "textbox" ? el.querySelector('[contenteditable]:not([contenteditable="false"])') : null;
        if (!inner || !inner.isContentEditable) return null;
        el = inner;
      }
      while (el.parentElement && el.parentElement.isContentEditable) el = el.parentElement;
      if (el === document.body || el === document.documentElement) return null;
    }
    return eligible(el) ? el : null;
  }

  /** Return true unless the element is a search, password, read-only or one-line field. */
  function eligible(el) {
    if (el.tagName === "TEXTAREA" && (el.readOnly || el.disabled)) return false;
    if (el.getAttribute("aria-readonly") === "true" || el.getAttribute("aria-disabled") === "true") return false;
    if (el.getAttribute("aria-multiline") === "false") return false;
    const role = el.getAttribute("role") || "";
    if (role === "searchbox" || role === "combobox" || role === "search") return false;
    if (el.closest('[role="search"], search')) return false;
    const autocomplete = el.getAttribute("autocomplete") || "";
    if (/password|one-time-code/.test(autocomplete)) return false;
    for (const attr of ["name", "id", "type", "aria-label", "placeholder"]) {
      if (IGNORED_NAME.test(el.getAttribute(attr) || "")) return false;
    }
    return true;
  }

  function attach(el) {
    if (!active() || composers.has(el)) return composers.get(el) || null;
    const composer = new Composer(el);
    composers.set(el, composer);
    return composer;
  }

  function scan(root) {
    if (!active() || !root || !root.querySelectorAll) return;
    const candidates = root.matches && root.matches(EDITOR_SELECTOR) ? [root] : [];
    candidates.push(...root.querySelectorAll(EDITOR_SELECTOR));
    for (const el of candidates) {
      const composer = composerRoot(el);
      if (composer) attach(composer);
    }
  }

  function detachAll() {
    for (const composer of [...composers.values()]) composer.destroy();
    closeCard();
    if (dialog) dialog.close(false);
    reportCount();
  }

  // ------------------------------------------------------------------------------------------
  // Text of an editor and the mapping from UTF-16 offsets back to DOM positions
  // ------------------------------------------------------------------------------------------

  /** Return an editor's text and the Text nodes it came from ({node, start} in UTF-16 units). */
  function readRich(root) {
    let text = "";
    const segs = [];
    const walk = (node, blockStart) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (child.data) {
            segs.push({ node: child, start: text.length });
            text += child.data;
          }
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          const tag = child.tagName;
          if (SKIP_TAGS.has(tag.toUpperCase())) continue;
          if (tag === "BR") {
            // A trailing <br> only keeps an empty line open; it is not a line of its own.
            if (child.nextSibling || text.length === blockStart) text += "\n";
          } else if (BLOCK_TAGS.has(tag)) {
            if (text && !text.endsWith("\n")) text += "\n";
            walk(child, text.length);
          } else {
            walk(child, blockStart);
          }
        }
      }
    };
    walk(root, 0);
    return { text, segs };
  }

  function domPoint(segs, offset, preferNext) {
    if (!segs.length) return null;
    let lo = 0;
    let hi = segs.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].start <= offset) {
        idx = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (idx === -1) return { node: segs[0].node, offset: 0 };
    const seg = segs[idx];
    const len = seg.node.data.length;
    const next = segs[idx + 1];
    if (offset - seg.start < len) return { node: seg.node, offset: offset - seg.start };
    if (preferNext && next) return { node: next.node, offset: Math.max(0, offset - next.start) };
    return { node: seg.node, offset: len };
  }

  function domRange(segs, start, end) {
    const a = domPoint(segs, start, true);
    const b = domPoint(segs, end, false);
    if (!a || !b) return null;
    const range = document.createRange();
    try {
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
    } catch {
      return null;
    }
    return range;
  }

  /** Merge the client rects of a range into one rect per line. */
  function lineRects(rects) {
    const sorted = [...rects].filter((r) => r.width > 0.5 && r.height > 0.5).sort((a, b) => a.top - b.top || a.left - b.left);
    const lines = [];
    for (const r of sorted) {
      const last = lines[lines.length - 1];
      if (last && Math.abs(r.top - last.top) < 3 && Math.abs(r.bottom - last.bottom) < 3 && r.left <= last.right + 1) {
        last.right = Math.max(last.right, r.right);
        last.left = Math.min(last.left, r.left);
      } else {
        lines.push({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
      }
    }
    return lines;
  }

  /** Return the remapped span after `before` became `after`, or null if the edit touched it. */
  function remap(span, before, after) {
    let prefix = 0;
    const max = Math.min(before.length, after.length);
    while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < max - prefix &&
      before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
    ) suffix++;
    const changedEnd = before.length - suffix;
    if (span.end <= prefix) return span;
    if (span.start >= changedEnd) {
      const delta = after.length - before.length;
      return { ...span, start: span.start + delta, end: span.end + delta };
    }
    return null;
  }

  const MIRROR_PROPS = [
    "direction", "box-sizing", "width", "height", "border-top-width", "border-right-width",
    "border-bottom-width", "border-left-width", "border-top-style", "border-right-style",
    "border-bottom-style", "border-left-style", "padding-top", "padding-right",
    "padding-bottom", "padding-left", "font-style", "font-variant", "font-weight", "font-stretch",
    "font-size", "font-size-adjust", "line-height", "font-family", "font-feature-settings",
    "font-kerning", "text-align", "text-transform", "text-indent", "letter-spacing", "word-spacing",
    "tab-size", "white-space", "word-break", "overflow-wrap", "text-rendering",
  ];

  // ------------------------------------------------------------------------------------------
  // One composer: its text, findings, overlay layer and badge
  // ------------------------------------------------------------------------------------------

  class Composer {
    constructor(el) {
      this.el = el;
      this.isTextarea = el.tagName === "TEXTAREA";
      this.text = this.read().text;
      this.findings = [];
      this.ignored = new Set();
      this.status = "idle";
      this.timer = 0;
      this.seq = 0;
      this.nextId = 1;
      this.backoffUntil = 0;
      this.hits = [];
      this.checkedOnce = false;
      this.session = newSession();
      this.lastDeleteAt = -Infinity;
      this.layer = h("div", { class: "layer", "data-ppc-layer": "" });
      this.clip = h("div", { class: "clip" });
      this.badge = h("button", { class: "badge", type: "button", "data-ppc-badge": "", hidden: true });
      this.layer.append(this.clip, this.badge);
      this.mirror = null;
      overlay().layers.append(this.layer);

      this.badge.addEventListener("click", (event) => {
        event.stopPropagation();
        const open = this.visible();
        if (open.length) openCard(this, open, this.badge.getBoundingClientRect(), true);
      });
      this.onInput = () => this.sync(true);
      this.onFocus = () => {
        lastActive = this;
        if (!this.checkedOnce && this.text.trim()) this.schedule(0);
      };
      this.onClick = (event) => {
        const hit = hitTest(event.clientX, event.clientY);
        if (hit && hit.composer === this) openCard(this, [hit.finding], hit.rect, false);
      };
      el.addEventListener("input", this.onInput, { passive: true });
      el.addEventListener("focus", this.onFocus, { passive: true });
      el.addEventListener("click", this.onClick, { passive: true });
      this.onBeforeInput = (event) => {
        if (event.isTrusted && String(event.inputType || "").startsWith("delete")) this.lastDeleteAt = performance.now();
      };
      el.addEventListener("beforeinput", this.onBeforeInput, { capture: true, passive: true });
      // Rich editors re-render their DOM (Draft.js, Lexical...): keep the drawing in step.
      this.observer = new MutationObserver(() => this.sync(false));
      if (!this.isTextarea) this.observer.observe(el, { childList: true, characterData: true, subtree: true });
      this.resizeObserver = new ResizeObserver(() => scheduleRender());
      this.resizeObserver.observe(el);
      // Sites clear a textarea after posting by setting .value, which fires no event.
      this.poll = this.isTextarea ? setInterval(() => this.sync(false, false), 1000) : 0;
      if (document.activeElement === el) this.onFocus();
    }

    read() {
      return this.isTextarea ? { text: this.el.value, segs: null } : readRich(this.el);
    }

    /** Return the open findings: not ignored, not in a hidden category. */
    visible() {
      const hidden = new Set(settings.hiddenCategories || []);
      return this.findings.filter((f) => !this.ignored.has(f.key) && !hidden.has(f.category));
    }

    blocking() {
      return this.visible().filter((f) => BLOCKING.has(f.severity));
    }

    /** Re-read the text; move findings with unchanged text, drop those the edit touched. */
    sync(fromInput, redraw = true) {
      const text = this.read().text;
      if (text === this.text && !fromInput && !redraw) return;
      if (text !== this.text) {
        const before = this.text;
        this.text = text;
        this.findings = this.findings
          .map((f) => remap(f, before, text))
          .filter((f) => f && text.slice(f.start, f.end) === f.text);
        // Only the change the delete itself caused counts as the student's.
        const byStudent = performance.now() - this.lastDeleteAt < CLEARED_BY_STUDENT_MS;
        this.lastDeleteAt = -Infinity;
        if (!text.trim()) {
          if (byStudent) this.outcome("post_cancelled", [...this.session.open]);
          this.reset();
        } else {
          this.schedule(settings.pauseMs);
        }
        lastActive = this;
        reportCount();
      } else if (fromInput) {
        lastActive = this;
      }
      scheduleRender();
    }

    reset() {
      clearTimeout(this.timer);
      this.seq++;
      this.findings = [];
      this.ignored.clear();
      this.status = "idle";
      this.backoffUntil = 0;
      this.session = newSession();
      if (card && card.composer === this) closeCard();
    }

    /** Report an event for the categories not yet reported with it in this composer session. */
    report(event, categories) {
      const seen = this.session.reported.get(event) || new Set();
      this.session.reported.set(event, seen);
      const fresh = [...new Set(categories)].filter((c) => !seen.has(c));
      if (!fresh.length) return;
      for (const c of fresh) seen.add(c);
      // Fire-and-forget: the service worker sends it (or not); nothing waits for the answer.
      if (settings.reportEvents) send({ type: PPC.MSG.EVENT, event, categories: fresh });
    }

    /** Report what became of warned categories, unless the post already went out anyway. */
    outcome(event, categories) {
      if (!this.session.posted) this.report(event, categories);
    }

    /**
     * After a check: report categories shown for the first time in this session, and, when the
     * answer is for the text as it is now, the open ones that the student's edits made disappear.
     */
    noteWarnings(confirmed) {
      const open = new Set(this.visible().map((f) => f.category));
      if (confirmed) {
        // Categories still found but hidden or ignored were not edited away.
        const present = new Set(this.findings.map((f) => f.category));
        this.outcome("edited_before_posting", [...this.session.open].filter((c) => !present.has(c)));
        this.session.open = open;
      } else {
        for (const c of open) this.session.open.add(c);
      }
      this.report("warning_shown", [...open]);
    }

    schedule(delay) {
      clearTimeout(this.timer);
      const wait = Math.max(Number(delay) || 0, this.backoffUntil - Date.now(), 0);
      this.timer = setTimeout(() => this.check(), wait);
    }

    async check() {
      if (!active() || !this.el.isConnected) return;
      const text = this.read().text;
      if (!text.trim()) return;
      this.checkedOnce = true;
      const seq = ++this.seq;
      if (this.status === "idle") this.status = "checking";
      scheduleRender();
      const answer = await send({ type: PPC.MSG.CHECK, text, platform });
      if (seq !== this.seq) return; // A newer check has been sent since.
      const status = answer && answer.status ? answer.status : "offline";
      if (status === "ok") {
        this.backoffUntil = 0;
        this.status = "ok";
        const current = this.text;
        this.findings = answer.findings
          .map((f) => ({ ...f, text: text.slice(f.start, f.end), key: `${f.category}|${f.type}|${text.slice(f.start, f.end)}`, id: this.nextId++ }))
          .map((f) => (current === text ? f : remap(f, text, current)))
          .filter((f) => f && current.slice(f.start, f.end) === f.text);
        if (this.findings.length) loadPolicy();
        this.noteWarnings(current === text);
      } else if (status === "rate_limited") {
        this.status = "rate_limited";
        this.backoffUntil = Date.now() + Math.max(Number(answer.retryAfterMs) || 1000, 250);
        this.schedule(0);
      } else if (status === "disabled") {
        this.status = "idle";
        this.findings = [];
      } else {
        // Fail open: with no trustworthy answer there is nothing to warn about.
        this.status = status in STATUS_TEXT ? status : "offline";
        this.findings = [];
        if (this.status === "offline") this.schedule(OFFLINE_RETRY_MS);
      }
      reportCount();
      scheduleRender();
    }

    ignore(finding) {
      this.ignored.add(finding.key);
      // An ignored warning is no longer open, and ignoring is not editing it away.
      if (!this.visible().some((f) => f.category === finding.category)) this.session.open.delete(finding.category);
      reportCount();
      scheduleRender();
    }

    /** Replace a finding's span through the editor's own input path. */
    applyFix(finding) {
      const { text, segs } = this.read();
      if (finding.replacement === null || text.slice(finding.start, finding.end) !== finding.text) return false;
      const replacement = finding.replacement;
      this.el.focus({ preventScroll: true });
      if (this.isTextarea) {
        this.el.setSelectionRange(finding.start, finding.end);
        let done = false;
        try {
          done = document.execCommand(replacement ? "insertText" : "delete", false, replacement);
        } catch {
          done = false;
        }
        if (!done || this.el.value === text) {
          this.el.setRangeText(replacement, finding.start, finding.end, "end");
          this.el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText", data: replacement }));
        }
      } else {
        const range = domRange(segs, finding.start, finding.end);
        if (!range) return false;
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        // Editors that own their model (Lexical, Slate, ProseMirror) apply beforeinput themselves.
        const before = new InputEvent("beforeinput", {
          bubbles: true,
          cancelable: true,
          composed: true,
          inputType: "insertText",
          data: replacement,
          targetRanges: [new StaticRange({
            startContainer: range.startContainer,
            startOffset: range.startOffset,
            endContainer: range.endContainer,
            endOffset: range.endOffset,
          })],
        });
        const handled = !this.el.dispatchEvent(before);
        if (!handled) document.execCommand(replacement ? "insertText" : "delete", false, replacement);
      }
      this.findings = this.findings.filter((f) => f !== finding);
      this.report("fix_applied", [finding.category]);
      this.sync(true);
      return true;
    }

    geometry() {
      if (!this.isTextarea) {
        const { text, segs } = readRich(this.el);
        if (text !== this.text) this.sync(false);
        return (start, end) => {
          const range = domRange(segs, start, end);
          return range ? lineRects(range.getClientRects()) : [];
        };
      }
      const mirror = this.syncMirror();
      const node = mirror.firstChild;
      const dx = -this.el.scrollLeft;
      const dy = -this.el.scrollTop;
      return (start, end) => {
        if (!node || end > node.data.length) return [];
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        return lineRects(range.getClientRects()).map((r) => ({
          left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy,
        }));
      };
    }

    /** Lay a hidden copy of the textarea's text over it, styled the same, to measure spans. */
    syncMirror() {
      if (!this.mirror) {
        this.mirror = h("div", { class: "mirror", "aria-hidden": "true" });
        this.layer.append(this.mirror);
      }
      const style = getComputedStyle(this.el);
      for (const prop of MIRROR_PROPS) this.mirror.style.setProperty(prop, style.getPropertyValue(prop));
      this.mirror.style.setProperty("border-color", "transparent");
      this.mirror.style.setProperty("white-space", "pre-wrap");
      this.mirror.style.setProperty("overflow-y", this.el.scrollHeight > this.el.clientHeight && style.overflowY !== "hidden" ? "scroll" : "hidden");
      const rect = this.el.getBoundingClientRect();
      this.mirror.style.left = `${rect.left}px`;
      this.mirror.style.top = `${rect.top}px`;
      const value = this.el.value;
      if (!this.mirror.firstChild || this.mirror.firstChild.data !== value) this.mirror.textContent = value;
      return this.mirror;
    }

    render() {
      if (!this.el.isConnected) {
        this.destroy();
        return;
      }
      if (!this.layer.isConnected) overlay().layers.append(this.layer);
      const box = clipBox(this.el);
      if (!box) {
        this.layer.hidden = true;
        this.hits = [];
        this.marksKey = "";
        this.clip.replaceChildren();
        return;
      }
      this.layer.hidden = false;
      Object.assign(this.clip.style, {
        left: `${box.left}px`, top: `${box.top}px`, width: `${box.right - box.left}px`, height: `${box.bottom - box.top}px`,
      });
      const open = this.visible();
      const marks = [];
      const signature = [];
      this.hits = [];
      if (open.length) {
        const rectsFor = this.geometry();
        for (const f of open) {
          for (const r of rectsFor(f.start, f.end)) {
            const mark = h("div", {
              class: "mark",
              "data-ppc-category": f.category,
              "data-ppc-severity": f.severity,
              "data-ppc-start": f.start,
              "data-ppc-end": f.end,
              "data-ppc-finding": f.id,
            });
            colourVars(mark, f.category);
            Object.assign(mark.style, {
              left: `${r.left - box.left}px`, top: `${r.top - box.top}px`,
              width: `${r.right - r.left}px`, height: `${r.bottom - r.top}px`,
            });
            marks.push(mark);
            signature.push(`${f.id}:${f.category}:${f.start}-${f.end}:${Math.round(r.left - box.left)},${Math.round(r.top - box.top)},${Math.round(r.right - r.left)},${Math.round(r.bottom - r.top)}`);
            const visibleRect = {
              left: Math.max(r.left, box.left), right: Math.min(r.right, box.right),
              top: Math.max(r.top, box.top), bottom: Math.min(r.bottom, box.bottom),
            };
            if (visibleRect.right > visibleRect.left && visibleRect.bottom > visibleRect.top) {
              this.hits.push({ finding: f, rect: visibleRect });
            }
          }
        }
      }
      // Replace the marks only when they moved, so that a steady state keeps its elements.
      const key = signature.join("|");
      if (key !== this.marksKey) {
        this.marksKey = key;
        this.clip.replaceChildren(...marks);
      }
      this.renderBadge(box, open);
      if (card && card.composer === this) card.refresh();
    }

    renderBadge(box, open) {
      const badge = this.badge;
      const show = (this.text.trim() && this.status !== "idle") || this.status === "offline";
      badge.hidden = !show;
      if (!show) return;
      const severity = maxSeverity(open);
      const count = open.length;
      let label;
      let text;
      if (this.status in STATUS_TEXT) {
        text = STATUS_TEXT[this.status];
        label = `Pre-Post Check: ${text}. You can post as usual.`;
      } else if (count) {
        text = `⚠ ${count}`;
        label = `Pre-Post Check: ${count} warning${count === 1 ? "" : "s"}, highest ${severity}. Show warnings.`;
      } else {
        text = this.status === "checking" ? "…" : "✓";
        label = this.status === "checking" ? "Pre-Post Check: checking" : "Pre-Post Check: no warnings";
      }
      badge.textContent = text;
      badge.setAttribute("aria-label", label);
      badge.title = label;
      badge.setAttribute("data-ppc-status", this.status);
      badge.setAttribute("data-ppc-count", String(count));
      if (severity) badge.setAttribute("data-ppc-severity", severity);
      else badge.removeAttribute("data-ppc-severity");
      const width = badge.offsetWidth || 40;
      const left = Math.max(box.left, box.right - width - 6);
      const top = Math.max(box.top, box.bottom - 28);
      badge.style.left = `${left}px`;
      badge.style.top = `${top}px`;
    }

    destroy() {
      clearTimeout(this.timer);
      clearInterval(this.poll);
      this.seq++;
      this.observer.disconnect();
      this.resizeObserver.disconnect();
      this.el.removeEventListener("input", this.onInput);
      this.el.removeEventListener("focus", this.onFocus);
      this.el.removeEventListener("click", this.onClick);
      this.el.removeEventListener("beforeinput", this.onBeforeInput, { capture: true });
      this.layer.remove();
      composers.delete(this.el);
      if (lastActive === this) lastActive = null;
      if (card && card.composer === this) closeCard();
      reportCount();
    }
  }

  /** Return the visible part of an editor's client area (clipped by scrolling ancestors). */
  function clipBox(el) {
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height) return null;
    const box = {
      left: rect.left + el.clientLeft,
      top: rect.top + el.clientTop,
      right: rect.left + el.clientLeft + (el.clientWidth || rect.width),
      bottom: rect.top + el.clientTop + (el.clientHeight || rect.height),
    };
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const r = a.getBoundingClientRect();
      box.left = Math.max(box.left, r.left + a.clientLeft);
      box.top = Math.max(box.top, r.top + a.clientTop);
      box.right = Math.min(box.right, r.left + a.clientLeft + a.clientWidth);
      box.bottom = Math.min(box.bottom, r.top + a.clientTop + a.clientHeight);
    }
    box.left = Math.max(box.left, 0);
    box.top = Math.max(box.top, 0);
    box.right = Math.min(box.right, window.innerWidth);
    box.bottom = Math.min(box.bottom, window.innerHeight);
    return box.right > box.left && box.bottom > box.top ? box : null;
  }

  // ------------------------------------------------------------------------------------------
  // The overlay host and rendering
  // ------------------------------------------------------------------------------------------

  function overlay() {
    if (ui) {
      if (!ui.host.isConnected) document.documentElement.appendChild(ui.host);
      return ui;
    }
    const host = document.createElement("div");
    host.setAttribute("data-ppc-root", "");
    for (const [prop, value] of [
      ["all", "initial"], ["position", "fixed"], ["top", "0"], ["left", "0"], ["width", "0"],
      ["height", "0"], ["overflow", "visible"], ["z-index", "2147483647"], ["pointer-events", "none"],
      ["display", "block"],
    ]) host.style.setProperty(prop, value, "important");
    // Open, so that tests and assistive technology can find the data-ppc-* attributes.
    const root = host.attachShadow({ mode: "open" });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      root.adoptedStyleSheets = [sheet];
    } catch {
      // Constructable stylesheets are not subject to the page's CSP; a <style> is the fallback.
      root.append(h("style", {}, STYLES));
    }
    const layers = h("div", { class: "layers" });
    const floating = h("div", { class: "floating" });
    root.append(layers, floating);
    document.documentElement.appendChild(host);
    ui = { host, root, layers, floating };
    return ui;
  }

  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      for (const composer of [...composers.values()]) {
        try {
          composer.render();
        } catch {
          // Drawing must never break the page; the next frame tries again.
        }
      }
    });
  }

  function hitTest(x, y) {
    for (const composer of composers.values()) {
      for (const hit of composer.hits) {
        const r = hit.rect;
        if (x >= r.left && x <= r.right && y >= r.top - 1 && y <= r.bottom + 2) return { composer, ...hit };
      }
    }
    return null;
  }

  function reportCount() {
    let count = 0;
    const open = [];
    for (const composer of composers.values()) {
      const visible = composer.visible();
      count += visible.length;
      open.push(...visible);
    }
    const severity = maxSeverity(open) || "";
    const key = `${count}|${severity}`;
    if (key === lastTabCount) return;
    lastTabCount = key;
    send({ type: PPC.MSG.TAB_COUNT, count, severity });
  }

  // ------------------------------------------------------------------------------------------
  // The card: explanation, clause, fix and ignore
  // ------------------------------------------------------------------------------------------

  function findingBlock(composer, finding, onDone) {
    const info = categoryInfo(finding.category);
    const section = h("section", {
      class: "finding",
      "data-ppc-category": finding.category,
      "data-ppc-finding": finding.id,
      "aria-label": `${info.title}: ${finding.severity} risk`,
    });
    colourVars(section, finding.category);
    section.append(
      h("div", { class: "head" }, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "title" }, info.title),
        h("span", { class: "sev" }, `${finding.severity} risk`)),
      h("p", { class: "quote" }, `“${finding.text}”`),
      h("p", { class: "msg", "data-ppc-message": "" }, finding.message || "This may go against the Student Social Media Policy."),
    );
    if (finding.suggestion) section.append(h("p", { class: "sugg" }, h("b", {}, "Try: "), finding.suggestion));
    for (const id of finding.clauses) {
      const clause = policy.clauses.get(id);
      const details = h("details", { "data-ppc-clause": id },
        h("summary", {}, clause ? `Policy clause ${id}: ${clause.title}` : `Policy clause ${id}`));
      if (clause) details.append(h("p", {}, clause.text));
      const open = h("button", { type: "button", class: "link" }, "Open the policy at this clause");
      open.addEventListener("click", () => send({ type: PPC.MSG.OPEN_POLICY, clause: id }));
      details.append(open);
      section.append(details);
    }
    const actions = h("div", { class: "actions" });
    if (finding.replacement !== null) {
      const fix = h("button", { type: "button", class: "primary", "data-ppc-action": "fix" },
        finding.replacement ? `Replace with “${finding.replacement}”` : "Remove it");
      fix.addEventListener("click", () => {
        composer.applyFix(finding);
        onDone();
      });
      actions.append(fix);
    }
    const ignore = h("button", { type: "button", class: "secondary", "data-ppc-action": "ignore" }, "Ignore");
    ignore.addEventListener("click", () => {
      composer.ignore(finding);
      onDone();
    });
    actions.append(ignore);
    section.append(actions);
    return section;
  }

  function openCard(composer, findings, anchor, focus) {
    if (card && card.composer === composer && card.ids === findings.map((f) => f.id).join(",")) return;
    closeCard();
    const el = h("div", { class: "card", role: "group", "aria-label": "Pre-Post Check warnings", "data-ppc-card": "" });
    const state = {
      composer,
      el,
      ids: findings.map((f) => f.id).join(","),
      hoverTimer: 0,
      refresh() {
        // Close once the findings it shows are gone (fixed, ignored or edited away).
        const open = new Set(composer.visible().map((f) => f.id));
        if (!findings.some((f) => open.has(f.id))) closeCard();
      },
    };
    const done = () => {
      const left = composer.visible().filter((f) => findings.some((g) => g.id === f.id));
      if (!left.length) {
        closeCard();
        composer.el.focus({ preventScroll: true });
      }
      scheduleRender();
    };
    for (const f of findings) el.append(findingBlock(composer, f, done));
    el.addEventListener("mouseenter", () => clearTimeout(state.hoverTimer));
    el.addEventListener("mouseleave", () => {
      clearTimeout(state.hoverTimer);
      state.hoverTimer = setTimeout(() => { if (!el.contains(ui.root.activeElement)) closeCard(); }, HOVER_CLOSE_MS);
    });
    el.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        closeCard();
        composer.el.focus({ preventScroll: true });
      }
    });
    overlay().floating.append(el);
    const width = el.offsetWidth;
    const height = el.offsetHeight;
    let left = Math.min(anchor.left, window.innerWidth - width - 8);
    let top = anchor.bottom + 6;
    if (top + height > window.innerHeight - 8) top = Math.max(8, anchor.top - height - 6);
    left = Math.max(8, left);
    el.style.left = `${left}px`;
    el.style.top = `${top}px`;
    card = state;
    if (focus) {
      const first = el.querySelector(".actions button");
      if (first) first.focus();
    }
  }

  function closeCard() {
    if (!card) return;
    clearTimeout(card.hoverTimer);
    card.el.remove();
    card = null;
  }

  let hover = { timer: 0, key: "" };
  function onMouseMove(event) {
    if (!composers.size || dialog) return;
    const hit = hitTest(event.clientX, event.clientY);
    const overCard = card && inOverlay(event.target) && card.el.contains(event.composedPath()[0]);
    if (hit) {
      const key = `${hit.finding.id}`;
      if (card && card.ids === key) {
        clearTimeout(card.hoverTimer);
        return;
      }
      if (hover.key !== key) {
        clearTimeout(hover.timer);
        hover = { key, timer: setTimeout(() => openCard(hit.composer, [hit.finding], hit.rect, false), HOVER_OPEN_MS) };
      }
    } else {
      clearTimeout(hover.timer);
      hover = { timer: 0, key: "" };
      if (card && !overCard && !card.hoverTimer) {
        card.hoverTimer = setTimeout(() => {
          if (card && !card.el.contains(ui.root.activeElement)) closeCard();
        }, HOVER_CLOSE_MS);
      } else if (card && overCard) {
        clearTimeout(card.hoverTimer);
        card.hoverTimer = 0;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // The last check before posting
  // ------------------------------------------------------------------------------------------

  function postButton(event) {
    for (const node of event.composedPath()) {
      if (!(node instanceof Element)) continue;
      if (node === document.body || node === document.documentElement) break;
      if (node.matches('button, [role="button"], input[type="submit"], input[type="button"]')) return node;
    }
    return null;
  }

  function looksLikePost(button, composer) {
    if (button.disabled || button.getAttribute("aria-disabled") === "true") return false;
    const label = (button.getAttribute("aria-label") || button.innerText || button.value || button.title || "")
      .trim().replace(/\s+/g, " ");
    if (POST_LABEL.test(label)) return true;
    if (POST_TESTID.test(button.getAttribute("data-testid") || "")) return true;
    return button.type === "submit" && !!button.form && button.form.contains(composer.el);
  }

  function depthOfCommonAncestor(a, b) {
    const ancestors = new Set();
    for (let n = a; n; n = n.parentNode) ancestors.add(n);
    let depth = 0;
    let common = b;
    while (common && !ancestors.has(common)) common = common.parentNode;
    for (let n = common; n; n = n.parentNode) depth++;
    return depth;
  }

  /** Return the gap in pixels between two elements' boxes (0 when they overlap). */
  function gapBetween(a, b) {
    const ra = a.getBoundingClientRect();
    const rb = b.getBoundingClientRect();
    const dx = Math.max(0, ra.left - rb.right, rb.left - ra.right);
    const dy = Math.max(0, ra.top - rb.bottom, rb.top - ra.bottom);
    return Math.hypot(dx, dy);
  }

  /** Return the composer a post button belongs to, if it has medium or high warnings open. */
  function composerForButton(button) {
    // A post button sits next to its composer; a "Reply" on some other post further down does not.
    const candidates = [...composers.values()].filter(
      (c) => c.el.isConnected && c.text.trim() && c.blocking().length && gapBetween(c.el, button) <= MAX_BUTTON_GAP_PX,
    );
    if (!candidates.length) return null;
    candidates.sort((a, b) => depthOfCommonAncestor(b.el, button) - depthOfCommonAncestor(a.el, button) || (b === lastActive) - (a === lastActive));
    return candidates[0];
  }

  function onClickCapture(event) {
    if (bypass && bypass.kind === "click" && (event.target === bypass.target || bypass.target.contains(event.target))) {
      bypass = null;
      return;
    }
    if (!active() || dialog || !event.isTrusted) return;
    try {
      const button = postButton(event);
      if (!button || inOverlay(button)) return;
      const composer = composerForButton(button);
      if (!composer || !looksLikePost(button, composer)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      openDialog(composer, { kind: "click", target: button });
    } catch {
      // Fail open: if anything here breaks, the post goes through.
    }
  }

  function onKeydownCapture(event) {
    if (bypass && bypass.kind === "key" && event.target === bypass.target) {
      bypass = null;
      return;
    }
    if (!active() || dialog || !event.isTrusted || event.key !== "Enter" || event.isComposing) return;
    const chord = event.ctrlKey || event.metaKey;
    // WhatsApp Web sends on plain Enter.
    const plainSend = platform === "whatsapp" && !event.shiftKey && !event.altKey && !chord;
    if (!chord && !plainSend) return;
    try {
      const target = event.composedPath()[0];
      const root = composerRoot(target);
      const composer = root ? composers.get(root) : null;
      if (!composer || !composer.text.trim() || !composer.blocking().length) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const init = {
        key: event.key, code: event.code, keyCode: event.keyCode, which: event.which,
        ctrlKey: event.ctrlKey, metaKey: event.metaKey, shiftKey: event.shiftKey, altKey: event.altKey,
        bubbles: true, cancelable: true, composed: true,
      };
      openDialog(composer, { kind: "key", target: event.target, init });
    } catch {
      // Fail open.
    }
  }

  /** Let the held-back action through, exactly once. */
  function replay(action) {
    bypass = action;
    try {
      if (action.kind === "click") {
        action.target.click();
      } else {
        action.target.dispatchEvent(new KeyboardEvent("keydown", action.init));
        action.target.dispatchEvent(new KeyboardEvent("keyup", action.init));
      }
    } finally {
      bypass = null;
    }
  }

  function openDialog(composer, action) {
    closeCard();
    const findings = composer.visible().slice().sort((a, b) => PPC.SEVERITY_RANK[b.severity] - PPC.SEVERITY_RANK[a.severity] || a.start - b.start);
    const blocking = findings.filter((f) => BLOCKING.has(f.severity)).length;
    const titleId = "ppc-dialog-title";
    const descId = "ppc-dialog-desc";
    const list = h("ul", {}, findings.map((f) => {
      const info = categoryInfo(f.category);
      const clauses = f.clauses.length ? ` (policy ${f.clauses.join(", ")})` : "";
      return colourVars(h("li", { "data-ppc-category": f.category, "data-ppc-severity": f.severity },
        h("div", { class: "cat" }, `${info.title} · ${f.severity} risk`),
        h("p", { class: "quote" }, `“${f.text}”`),
        h("p", { class: "msg" }, `${f.message}${clauses}`)), f.category);
    }));
    const edit = h("button", { type: "button", class: "primary", "data-ppc-action": "edit" }, "Edit post");
    const post = h("button", { type: "button", class: "secondary", "data-ppc-action": "post-anyway" }, "Post anyway");
    const box = h("div", {
      class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, "aria-describedby": descId,
      "data-ppc-dialog": "",
    },
    h("h2", { id: titleId }, "Before you post"),
    h("p", { id: descId }, `Pre-Post Check found ${blocking === 1 ? "something" : `${blocking} things`} in this post that may go against the DMUK Student Social Media Policy. It is your choice.`),
    list,
    h("div", { class: "actions" }, post, edit));
    const backdrop = h("div", { class: "backdrop", "data-ppc-backdrop": "" }, box);
    const categories = findings.map((f) => f.category);
    // "Edit post", Escape and a click beside the dialog all take the student back to the post.
    const backToEditing = () => {
      composer.outcome("edited_before_posting", categories);
      dialog.close(true);
    };
    const focusables = () => [...box.querySelectorAll("button, summary, [tabindex]")].filter((el) => !el.disabled);
    let refocus = 0;
    const keepFocus = (event) => {
      // Focus trap: focus that leaves the dialog is brought back (a few times at most, never a fight).
      if (event.target !== ui.host && refocus++ < 20) edit.focus();
    };
    dialog = {
      close(restore) {
        document.removeEventListener("focusin", keepFocus, true);
        backdrop.remove();
        dialog = null;
        if (restore) composer.el.focus({ preventScroll: true });
        scheduleRender();
      },
    };
    box.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") {
        event.preventDefault();
        backToEditing();
      } else if (event.key === "Tab") {
        const items = focusables();
        const current = ui.root.activeElement;
        const index = items.indexOf(current);
        event.preventDefault();
        const next = event.shiftKey ? (index <= 0 ? items.length - 1 : index - 1) : (index + 1) % items.length;
        items[next].focus();
      }
    });
    backdrop.addEventListener("mousedown", (event) => {
      if (event.target === backdrop) {
        event.preventDefault();
        backToEditing();
      }
    });
    edit.addEventListener("click", backToEditing);
    post.addEventListener("click", () => {
      composer.outcome("posted_anyway", categories);
      composer.session.posted = true;
      dialog.close(false);
      replay(action);
    });
    overlay().floating.append(backdrop);
    document.addEventListener("focusin", keepFocus, true);
    edit.focus();
  }

  // ------------------------------------------------------------------------------------------
  // Messages from the popup
  // ------------------------------------------------------------------------------------------

  const HANDLERS = {
    [PPC.MSG.PAGE_STATUS]: () => {
      const all = [...composers.values()];
      const open = all.flatMap((c) => c.visible());
      const statuses = new Set(all.map((c) => c.status));
      const status = ["offline", "rate_limited", "unauthorized", "error"].find((s) => statuses.has(s)) || (statuses.has("ok") ? "ok" : "idle");
      return { active: active(), composers: all.length, count: open.length, severity: maxSeverity(open), status };
    },
  };

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const handler = message && Object.hasOwn(HANDLERS, message.type) ? HANDLERS[message.type] : null;
    if (!handler || sender.id !== chrome.runtime.id) return false;
    sendResponse(handler(message));
    return false;
  });

  // ------------------------------------------------------------------------------------------
  // Start
  // ------------------------------------------------------------------------------------------

  function onFocusIn(event) {
    if (!active()) return;
    const root = composerRoot(event.composedPath()[0]);
    if (root) {
      const composer = attach(root);
      if (composer) {
        lastActive = composer;
        composer.onFocus();
      }
    }
  }

  let pageObserver = null;
  function start() {
    scan(document.documentElement);
    if (pageObserver) return;
    const pending = new Set();
    let scanQueued = false;
    pageObserver = new MutationObserver((records) => {
      if (!active()) return;
      for (const record of records) {
        for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE && !inOverlay(node)) pending.add(node);
        if (record.removedNodes.length && composers.size) scheduleRender();
      }
      if (pending.size && !scanQueued) {
        scanQueued = true;
        setTimeout(() => {
          scanQueued = false;
          const nodes = [...pending];
          pending.clear();
          for (const node of nodes) if (node.isConnected) scan(node);
        }, 50);
      }
    });
    pageObserver.observe(document.documentElement, { childList: true, subtree: true });
  }

  function onMouseDown(event) {
    // A click outside an open card closes it.
    if (card && !(inOverlay(event.target) && card.el.contains(event.composedPath()[0]))) {
      if (!hitTest(event.clientX, event.clientY)) closeCard();
    }
  }

  // Capture-phase listeners go in first (document_start), before the site's own.
  window.addEventListener("click", onClickCapture, true);
  window.addEventListener("keydown", onKeydownCapture, true);
  document.addEventListener("focusin", onFocusIn, true);
  document.addEventListener("mousemove", onMouseMove, { capture: true, passive: true });
  document.addEventListener("mousedown", onMouseDown, { capture: true, passive: true });
  window.addEventListener("scroll", scheduleRender, { capture: true, passive: true });
  window.addEventListener("resize", scheduleRender, { passive: true });

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "sync" && area !== "local") return;
    const wasActive = active();
    const apiChanged = "apiUrl" in changes || "apiKey" in changes;
    for (const [key, change] of Object.entries(changes)) {
      if (key in PPC.DEFAULT_SETTINGS || key in PPC.DEFAULT_LOCAL_SETTINGS) {
        settings[key] = change.newValue === undefined ? { ...PPC.DEFAULT_SETTINGS, ...PPC.DEFAULT_LOCAL_SETTINGS }[key] : change.newValue;
      }
    }
    if (wasActive && !active()) detachAll();
    else if (!wasActive && active()) start();
    else if (apiChanged) {
      policy = { categories: new Map(), clauses: new Map(), loaded: false };
      for (const composer of composers.values()) composer.schedule(0);
    }
    reportCount();
    scheduleRender();
  });

  PPC.loadSettings(chrome.storage).then((loaded) => {
    settings = loaded;
    settingsLoaded = true;
    if (!active()) return;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
    else start();
  }, () => {});
})();
