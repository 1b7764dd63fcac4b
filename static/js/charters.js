// The signature pad: draw with a mouse, a finger or a pen (Pointer Events). The drawing is
// written to a hidden input as a PNG data URL; typing a name always remains possible.
(function () {
  "use strict";

  function setupPad(pad) {
    const canvas = pad.querySelector("canvas");
    const input = pad.querySelector("input[type=hidden]");
    const status = pad.querySelector("[data-signature-status]");
    const clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !input) return;
    const ctx = canvas.getContext("2d");
    let drawing = false;
    let last = null;
    let hasInk = false;

    function point(event) {
      const rect = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - rect.left) * canvas.width) / rect.width,
        y: ((event.clientY - rect.top) * canvas.height) / rect.height,
        p: event.pressure && event.pointerType === "pen" ? event.pressure : 0.5,
      };
    }

    function stroke(from, to) {
      ctx.strokeStyle = "#10233f";
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.lineWidth = 1.5 + to.p * 3;
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.lineTo(to.x, to.y);
      ctx.stroke();
    }

    function save() {
      input.value = hasInk ? canvas.toDataURL("image/png") : "";
      if (status) status.textContent = hasInk ? status.dataset.drawn : status.dataset.empty;
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== undefined && event.button > 0) return;
      event.preventDefault();
      drawing = true;
      last = point(event);
      // A single tap leaves a dot.
      stroke(last, { x: last.x + 0.1, y: last.y + 0.1, p: last.p });
      hasInk = true;
      try {
        canvas.setPointerCapture(event.pointerId);
      } catch (err) {
        // Not an active pointer (e.g. synthetic events): drawing works without capture.
      }
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      event.preventDefault();
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      for (const e of events.length ? events : [event]) {
        const next = point(e);
        stroke(last, next);
        last = next;
      }
    });
    function end(event) {
      if (!drawing) return;
      drawing = false;
      last = null;
      try {
        if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      } catch (err) {
        // Nothing captured.
      }
      save();
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);

    if (clear) {
      clear.addEventListener("click", () => {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        hasInk = false;
        save();
      });
    }
    const form = pad.closest("form");
    if (form) form.addEventListener("submit", save);

    // A page shown again after an error carries the drawing the server accepted (or
    // nothing): paint it, so the canvas shows exactly what will be submitted.
    if (input.value.startsWith("data:image/png;base64,")) {
      const image = new Image();
      image.addEventListener("load", () => {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
        hasInk = true;
        if (status) status.textContent = status.dataset.drawn;
      });
      image.addEventListener("error", () => {
        hasInk = false;
        save();
      });
      image.src = input.value;
    } else {
      input.value = "";
    }
  }

  function init() {
    document.querySelectorAll("[data-signature-pad]").forEach(setupPad);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
