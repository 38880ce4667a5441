// The only script: a print button on the receipt, and the reception checklist of the chosen procedure. Every page works without it.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) { window.print(); }
});
// The reception form shows only the chosen procedure's checklist; without
// the script every checklist shows under its procedure's name, and the
// server reads only the chosen one.
(function () {
  var sel = document.getElementById("procedure");
  if (!sel || !document.querySelector("[data-checklist]")) { return; }
  function show() {
    document.querySelectorAll("[data-checklist]").forEach(function (f) {
      f.hidden = f.getAttribute("data-checklist") !== sel.value;
    });
  }
  sel.addEventListener("change", show);
  show();
})();
