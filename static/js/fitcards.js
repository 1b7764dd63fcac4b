// Fit card pages: swap htmx responses with status 422 (validation errors) instead of
// dropping them, and wire the print button (no inline script under CSP).
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  // After moving to another step, put focus on its heading for keyboard and screen readers.
  if (event.detail.target && event.detail.target.id === "flow") {
    const invalid = document.querySelector("#flow .field-error textarea, #flow .field-error input, #flow .field-error select");
    const heading = document.getElementById("step-h");
    if (invalid) {
      invalid.focus();
    } else if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fc-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
