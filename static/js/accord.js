// Small progressive enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) el.form.requestSubmit();
});

// Phones: the main navigation folds into a "Menu" button (CSS shows it below 700px). Without
// this file the navigation simply stays open.
(() => {
  const toggle = document.querySelector(".nav-toggle");
  const bar = toggle && toggle.closest(".topbar");
  if (!bar) return;
  toggle.hidden = false;
  bar.classList.add("nav-ready");
  toggle.addEventListener("click", () => {
    const open = bar.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && bar.classList.contains("nav-open")) {
      bar.classList.remove("nav-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
})();
