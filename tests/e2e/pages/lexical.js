/*
 * A Lexical-style editor: it owns every edit. Each `beforeinput` is cancelled and applied to the
 * editor's model (a string, paragraphs split on "\n"), then the DOM is rebuilt from the model.
 * Text changed in the DOM behind its back would be lost on the next render, as in Lexical.
 */
"use strict";
const root = document.getElementById("editor");
let model = "";

function paragraphs() {
  return [...root.children];
}

function render(caret) {
  const ps = model.split("\n").map((text) => {
    const p = document.createElement("p");
    p.dir = "ltr";
    if (text) {
      const span = document.createElement("span");
      span.setAttribute("data-lexical-text", "true");
      span.textContent = text;
      p.append(span);
    } else {
      p.append(document.createElement("br"));
    }
    return p;
  });
  root.replaceChildren(...ps);
  window.fixture.model = model;
  if (caret !== null) setCaret(caret);
}

function toOffset(container, offset) {
  let start = 0;
  const ps = paragraphs();
  for (const p of ps) {
    const len = p.textContent.length;
    if (p === container || p.contains(container)) {
      if (container.nodeType === Node.TEXT_NODE) return start + offset;
      return start + (offset === 0 ? 0 : len);
    }
    start += len + 1;
  }
  if (container === root) {
    let pos = 0;
    for (const p of ps.slice(0, offset)) pos += p.textContent.length + 1;
    return Math.max(0, Math.min(model.length, pos));
  }
  return model.length;
}

function setCaret(offset) {
  let rest = offset;
  for (const p of paragraphs()) {
    const len = p.textContent.length;
    if (rest <= len) {
      const text = p.querySelector("span") ? p.querySelector("span").firstChild : null;
      if (text) window.getSelection().collapse(text, rest);
      else window.getSelection().collapse(p, 0);
      return;
    }
    rest -= len + 1;
  }
}

root.addEventListener("beforeinput", (event) => {
  const ranges = event.getTargetRanges();
  const sel = window.getSelection();
  const range = ranges.length ? ranges[0] : sel.rangeCount ? sel.getRangeAt(0) : null;
  if (!range) return;
  event.preventDefault();
  let start = toOffset(range.startContainer, range.startOffset);
  let end = toOffset(range.endContainer, range.endOffset);
  let text = "";
  switch (event.inputType) {
    case "insertText":
    case "insertReplacementText":
    case "insertFromPaste":
      text = event.data ?? (event.dataTransfer ? event.dataTransfer.getData("text/plain") : "");
      break;
    case "insertParagraph":
    case "insertLineBreak":
      text = "\n";
      break;
    case "deleteContentBackward":
      if (start === end && start > 0) start -= /[\uDC00-\uDFFF]/.test(model[start - 1]) ? 2 : 1;
      break;
    case "deleteContentForward":
      if (start === end) end += 1;
      break;
    default:
      return;
  }
  model = model.slice(0, start) + text + model.slice(end);
  window.fixture.inputs += 1;
  render(start + text.length);
});

render(null);
window.fixture.wirePosting(root);
