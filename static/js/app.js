// Small behaviours every page may use, bound through data- attributes (the Content-Security-Policy
// allows no inline scripts or event handlers):
//   <select data-autosubmit>        sends its form when the choice changes
//   <input data-select-on-click>    selects its whole text when clicked (an address to copy)
//   <form data-confirm="question">  asks before it is sent
//   <button data-print>             prints the page (a teacher's evening)
//   <span data-clearable> radios    a second tap on the chosen radio clears it (back to "not marked")
//   <meta name="service-worker">    registers the app's service worker (the offline shell, web push)
// Listeners sit on the document, so content htmx swaps in later works the same.
(function () {
  "use strict";

  var worker = document.querySelector('meta[name="service-worker"]');
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker.content, {scope: "/"}).catch(function () {});
  }

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    var field = event.target;
    if (field.matches && field.matches("input[data-select-on-click]")) {
      field.select();
    }
    if (field.matches && field.matches("button[data-print]")) {
      window.print();
    }
  });

  // A radio remembers whether it was chosen before the tap, so the tap's click can clear it again.
  document.addEventListener("pointerdown", function (event) {
    var label = event.target.closest && event.target.closest("[data-clearable] label");
    var input = label && label.querySelector("input[type=radio]");
    if (input) {
      input.dataset.wasChecked = input.checked ? "1" : "";
    }
  });

  document.addEventListener("click", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-clearable] input[type=radio]") && input.dataset.wasChecked === "1") {
      input.checked = false;
      input.dataset.wasChecked = "";
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
