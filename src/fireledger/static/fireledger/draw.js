// The draw form: show that the draw is running (a large pool takes seconds), and show only the
// ratio table of the chosen kind of strata.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("draw-form");
  if (!form) return;
  const mode = form.querySelector("[name=mode]");
  const sync = () => {
    form.querySelectorAll("[data-mode]").forEach((el) => {
      el.hidden = el.dataset.mode !== mode.value;
    });
  };
  mode.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", () => {
    const button = document.getElementById("draw-submit");
    button.disabled = true;
    document.getElementById("draw-progress").hidden = false;
  });
});
