/* A controlled textarea: the site keeps its own copy of the text, updated on `input`. */
"use strict";
const editor = document.getElementById("editor");
editor.addEventListener("input", () => {
  window.fixture.model = editor.value;
  window.fixture.inputs += 1;
});
window.fixture.wirePosting(editor);
