// The parent's signature at the counter: draw with a finger, pen or mouse in the box; on submit
// the drawing goes into the hidden field as a PNG data URL. Without JavaScript the page offers
// the printed form instead.
(() => {
  const setUp = (canvas) => {
    const form = canvas.closest("form");
    const input = form.querySelector("[data-signature-input]");
    const clear = form.querySelector("[data-signature-clear]");
    const context = canvas.getContext("2d");
    let drawing = false;
    let drawn = false;
    context.lineWidth = 3;
    context.lineCap = "round";
    context.strokeStyle = "#111";
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * canvas.width) / box.width,
        ((event.clientY - box.top) * canvas.height) / box.height,
      ];
    };
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      context.beginPath();
      context.moveTo(...point(event));
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      context.lineTo(...point(event));
      context.stroke();
      drawn = true;
    });
    const stop = () => {
      drawing = false;
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    if (clear) {
      clear.addEventListener("click", () => {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        input.value = "";
      });
    }
    form.addEventListener("submit", () => {
      input.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  };
  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
})();
