/* The product page's inputs and selects come without the id Django gives a field by its name
   ("id_" and the name): this script, at the end of the form, gives it back before the other
   scripts (nested_admin's rows, the jumps to a field, labels) look fields up by id.
   ppFieldIds(root) does the same for rows built later. */
(function () {
  "use strict";
  function giveIds(root) {
    var fields = (root || document).querySelectorAll("input[name]:not([id]), select[name]:not([id])");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].type !== "submit" && fields[i].type !== "button") { fields[i].id = "id_" + fields[i].name; }
    }
  }
  window.ppFieldIds = giveIds;
  giveIds(document.getElementById("product_form"));
})();
