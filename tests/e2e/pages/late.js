/* An SPA that opens its composer in a dialog some time after the page has loaded. */
"use strict";
setTimeout(() => {
  const dialog = document.createElement("div");
  dialog.className = "card";
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-label", "Create post");
  const editor = document.createElement("div");
  editor.id = "editor";
  editor.className = "editor";
  editor.contentEditable = "true";
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  const toolbar = document.createElement("div");
  toolbar.className = "toolbar";
  const share = document.createElement("button");
  share.className = "post";
  share.type = "button";
  share.textContent = "Share";
  share.setAttribute("data-post", "");
  toolbar.append(share);
  dialog.append(editor, toolbar);
  document.getElementById("app").replaceChildren(dialog);
  editor.addEventListener("input", () => {
    window.fixture.model = editor.innerText;
    window.fixture.inputs += 1;
  });
  window.fixture.wirePosting(editor);
  window.fixture.ready = true;
}, 800);
