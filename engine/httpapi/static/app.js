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
// On a phone the list's filters fold behind one button under the search
// box, unless one is in use, so that the list is not a screen away. The
// fold is the style sheet's, for narrow screens only; without the script
// every filter shows.
(function () {
  document.querySelectorAll("form.filters[data-fold]").forEach(function (f) {
    var submit = f.querySelector("button[type=submit]");
    if (!submit) { return; }
    var b = document.createElement("button");
    b.type = "button";
    b.className = "more-toggle";
    b.textContent = f.getAttribute("data-fold");
    b.setAttribute("aria-expanded", "false");
    f.classList.add("folded");
    b.addEventListener("click", function () {
      var open = !f.classList.toggle("folded");
      b.setAttribute("aria-expanded", open ? "true" : "false");
      b.textContent = f.getAttribute(open ? "data-unfold" : "data-fold");
    });
    f.insertBefore(b, submit);
  });
})();
