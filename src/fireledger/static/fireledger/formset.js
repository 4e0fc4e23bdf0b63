/* "Add a row" for Django formsets: copies the form's empty template with the next index and
   counts it in TOTAL_FORMS. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest(".formset-add");
    if (!button) return;
    var box = button.closest(".formset");
    var prefix = box.dataset.prefix;
    var total = box.querySelector("input[name=" + prefix + "-TOTAL_FORMS]");
    var html = box.querySelector("template.formset-empty").innerHTML
      .replace(/__prefix__/g, total.value);
    box.querySelector(".formset-rows").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
