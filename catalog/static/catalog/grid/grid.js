// The grid's drop-down filters: one open at a time, closed by Escape or a click elsewhere;
// a choice in a single-value drop-down applies at once.
(function () {
  "use strict";
  var form = document.getElementById("changelist-search");
  if (!form) return;
  var drops = form.querySelectorAll("details.grid-filter");
  function closeAll(except) {
    drops.forEach(function (d) { if (d !== except) d.open = false; });
  }
  drops.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) closeAll(d); });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("details.grid-filter")) closeAll(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = form.querySelector("details.grid-filter[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
  form.querySelectorAll("select[data-filter]").forEach(function (select) {
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
})();
