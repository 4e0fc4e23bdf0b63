/* The inspection form on a phone: a signature pad, and autosave that survives a dropped
   connection (a change that could not be sent is marked and sent again when the phone is
   back online). No library beyond htmx. */
(function () {
  "use strict";

  function setUpPad(form) {
    var canvas = form.querySelector("canvas.signature-pad");
    var input = form.querySelector("input[name=drawing]");
    if (!canvas || !input) return;
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false;
    function fit() {
      var ratio = window.devicePixelRatio || 1;
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      ctx.scale(ratio, ratio);
      ctx.lineWidth = 2.2;
      ctx.lineCap = "round";
      ctx.strokeStyle = "#1d273b";
    }
    function point(e) {
      var box = canvas.getBoundingClientRect();
      return [e.clientX - box.left, e.clientY - box.top];
    }
    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", function (e) {
      drawing = true;
      var p = point(e);
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      var p = point(e);
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
      drawn = true;
    });
    function end() {
      if (drawing && drawn) input.value = canvas.toDataURL("image/png");
      drawing = false;
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointerleave", end);
    var clear = form.querySelector(".signature-clear");
    if (clear) clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      input.value = "";
      drawn = false;
    });
    fit();
  }

  var pending = new Set();

  function cardOf(elt) { return elt && elt.closest ? elt.closest(".result-card") : null; }

  document.addEventListener("htmx:sendError", function (e) {
    var form = e.detail.elt;
    pending.add(form);
    var card = cardOf(form);
    if (card) card.querySelector(".unsaved-note").classList.remove("d-none");
  });
  window.addEventListener("online", function () {
    pending.forEach(function (form) {
      pending.delete(form);
      if (document.body.contains(form)) htmx.trigger(form, "change");
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#sign-form, .commitment-sign-form").forEach(setUpPad);
  });
})();
