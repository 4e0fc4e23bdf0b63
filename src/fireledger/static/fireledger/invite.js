/* The invitation card on the place page: a button copies the link beside it (the clipboard
   where the browser allows it, else the text is left selected for a long-press copy). */
(function () {
  "use strict";
  if (window.fireledgerInviteCopy) return;
  window.fireledgerInviteCopy = true;
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-copy-target]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) return;
    input.focus();
    input.select();
    function done() { button.textContent = button.getAttribute("data-copied"); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {});
    } else {
      try { if (document.execCommand("copy")) done(); } catch (err) { /* left selected */ }
    }
  });
})();
