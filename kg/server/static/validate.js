// The validation page without JavaScript is a plain form; with it: a file can be dropped on the form,
// the chosen file is named, the button says the work is under way, the report can be printed from a
// button and its problems filtered by severity.
"use strict";
(function () {
  const form = document.querySelector(".val-form");
  if (form) {
    const input = form.querySelector("input[type=file]");
    const drop = form.querySelector(".val-drop");
    const chosen = form.querySelector(".val-chosen");
    const hint = form.querySelector(".val-drop-hint");
    const name = () => {
      const f = input.files && input.files[0];
      chosen.textContent = f ? `${f.name} (${Math.ceil(f.size / 1024)} KB)` : "";
    };
    hint.hidden = false;
    input.addEventListener("change", name);
    for (const type of ["dragenter", "dragover"]) {
      drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
    }
    for (const type of ["dragleave", "drop"]) {
      drop.addEventListener(type, () => drop.classList.remove("over"));
    }
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        name();
      }
    });
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      // Disabled after the form's data is taken, so the submission itself is not stopped.
      setTimeout(() => { button.disabled = true; button.textContent = button.dataset.busy; }, 0);
    });
  }
  const print = document.querySelector(".val-print");
  if (print) {
    print.hidden = false;
    document.querySelector(".val-print-hint").hidden = true;
    print.addEventListener("click", () => window.print());
  }
  const filter = document.querySelector(".val-filter");
  if (filter) {
    filter.hidden = false;
    filter.addEventListener("change", (e) => {
      document.body.classList.toggle("hide-" + e.target.value, !e.target.checked);
    });
  }
})();
