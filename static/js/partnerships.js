// Partnerships pages: let htmx swap form re-renders answered with 422 (field errors), so
// inline validation shows without a full page load. Everything works without this file.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Decision flows: after an answer swaps #flow, focus moves to the next question (or the
// recommendation) and a status region outside #flow reads it out.
document.addEventListener("htmx:afterSettle", (event) => {
  if (!event.detail.target || event.detail.target.id !== "flow") return;
  const flow = document.getElementById("flow");
  const next = flow && flow.querySelector("[data-flow-focus]");
  const announce = document.getElementById("flow-announce");
  if (!next) return;
  next.focus();
  if (announce) announce.textContent = next.textContent.trim();
});
