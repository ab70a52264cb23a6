/* The policy page: every clause from /v1/policy, each with an anchor the cards link to. */
"use strict";

async function main() {
  const box = document.getElementById("clauses");
  const answer = await chrome.runtime.sendMessage({ type: PPC.MSG.POLICY }).catch(() => null);
  if (!answer || !answer.policy) {
    box.textContent = "The checker is offline, so the policy text cannot be shown right now.";
    return;
  }
  const { policy, clauses } = answer.policy;
  if (policy && policy.title) document.getElementById("title").textContent = policy.title;
  for (const clause of clauses) {
    const section = document.createElement("section");
    section.className = "clause";
    section.id = clause.id;
    const heading = document.createElement("h3");
    heading.textContent = `${clause.id} ${clause.title}`;
    const text = document.createElement("p");
    text.textContent = clause.text;
    section.append(heading, text);
    box.append(section);
  }
  const target = decodeURIComponent(location.hash.slice(1));
  if (target) {
    const el = document.getElementById(target);
    if (el) {
      el.scrollIntoView();
      // :target does not match elements added after load; re-apply the hash.
      location.hash = `#${encodeURIComponent(target)}`;
    }
  }
}

main();
