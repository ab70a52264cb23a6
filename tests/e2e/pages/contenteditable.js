/* A plain contenteditable: the site reads innerText on every `input`. */
"use strict";
const editor = document.getElementById("editor");
editor.addEventListener("input", () => {
  window.fixture.model = editor.innerText;
  window.fixture.inputs += 1;
});
window.fixture.wirePosting(editor);
