// Bulletin pages: a district's figures take a few seconds at city scale, so a form that
// computes them shows it is working and cannot be sent twice.
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("button[data-busy]");
  if (!button) return;
  if (button.disabled) { event.preventDefault(); return; }
  button.disabled = true;
  var spinner = document.createElement("span");
  spinner.className = "spinner-border spinner-border-sm me-2";
  spinner.setAttribute("role", "status");
  button.prepend(spinner);
  button.lastChild.textContent = " " + button.dataset.busy;
});
