// The only script: a print button on the receipt. Every page works without it.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) { window.print(); }
});
