// Partnerships pages: let htmx swap form re-renders answered with 422 (field errors), so
// inline validation shows without a full page load. Everything works without this file.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
