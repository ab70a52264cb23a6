/*
 * What the test can observe on every fixture page: the editor's own model (what the site would
 * post), how many input events the site saw, and every post that actually happened.
 */
"use strict";
window.fixture = { model: "", inputs: 0, posts: [], via: [] };

/** Record a post the way a site would send it: whatever its own model holds now. */
window.fixture.post = function post(via) {
  window.fixture.posts.push(window.fixture.model);
  window.fixture.via.push(via);
};

/** Wire every [data-post] button and Ctrl/Cmd+Enter in `editor` to post. */
window.fixture.wirePosting = function wirePosting(editor) {
  for (const button of document.querySelectorAll("[data-post]")) {
    button.addEventListener("click", () => window.fixture.post("click"));
  }
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      window.fixture.post("keyboard");
    }
  });
};
