/*
 * A Draft.js-style editor: the DOM is a projection of the editor's own model (a list of blocks).
 * After every native `input` it reads the text back, updates the model and re-renders every block
 * with fresh nested spans (hashtags and mentions decorated in spans of their own), then puts the
 * caret back. Any node an extension held on to is gone after each keystroke.
 */
"use strict";
const root = document.getElementById("editor");
const DECORATED = /([#@][\p{L}\p{N}_]+)/u;
let blocks = [""];
let renders = 0;

function node(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

function leaf(key, text, decorated) {
  const content = text === null ? node("br", { "data-text": "true" }) : node("span", { "data-text": "true" }, text);
  const span = node("span", { "data-offset-key": key }, content);
  return decorated ? node("span", { class: "hashtag" }, span) : span;
}

function render(caret) {
  renders += 1;
  const contents = node("div", { "data-contents": "true" });
  blocks.forEach((text, i) => {
    const key = `k${renders}-${i}`;
    const inner = node("div", { "data-offset-key": `${key}-0-0`, class: "public-DraftStyleDefault-block" });
    if (!text) inner.append(leaf(`${key}-0-0`, null, false));
    text.split(DECORATED).forEach((part, j) => {
      if (part) inner.append(leaf(`${key}-${j}-0`, part, DECORATED.test(part) && part === part.match(DECORATED)[0]));
    });
    contents.append(node("div", { "data-block": "true", "data-offset-key": `${key}-0-0` }, inner));
  });
  root.replaceChildren(contents);
  if (caret !== null) setCaret(caret);
  window.fixture.model = blocks.join("\n");
  window.fixture.renders = renders;
}

function blockElements() {
  const contents = root.querySelector("[data-contents]");
  return contents ? [...contents.children] : [];
}

function getCaret() {
  const sel = window.getSelection();
  if (!sel.rangeCount || !root.contains(sel.focusNode)) return null;
  let offset = 0;
  for (const block of blockElements()) {
    if (block.contains(sel.focusNode)) {
      const range = document.createRange();
      range.selectNodeContents(block);
      range.setEnd(sel.focusNode, sel.focusOffset);
      return offset + range.toString().length;
    }
    offset += block.textContent.length + 1;
  }
  return null;
}

function setCaret(offset) {
  let rest = offset;
  const els = blockElements();
  for (const block of els) {
    const len = block.textContent.length;
    if (rest <= len) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let text;
      while ((text = walker.nextNode())) {
        if (rest <= text.data.length) {
          window.getSelection().collapse(text, rest);
          return;
        }
        rest -= text.data.length;
      }
      window.getSelection().collapse(block.querySelector("[data-text]") || block, 0);
      return;
    }
    rest -= len + 1;
  }
}

root.addEventListener("input", () => {
  const caret = getCaret();
  const els = blockElements();
  blocks = els.length ? els.map((b) => b.textContent) : [root.textContent];
  window.fixture.inputs += 1;
  render(caret);
});

root.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  const caret = getCaret() ?? 0;
  const text = blocks.join("\n");
  blocks = (text.slice(0, caret) + "\n" + text.slice(caret)).split("\n");
  render(caret + 1);
});

render(null);
window.fixture.wirePosting(root);
