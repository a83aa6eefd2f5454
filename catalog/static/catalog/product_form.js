/* Run at the end of the product form, before the scripts that start on DOMContentLoaded
   (nested_admin's rows, product_page.js, photo_grid.js): what the server leaves out to keep
   the page light is put back here.

   - Each photo grid gets its new-photo form from the page's one <template data-pg-new>
     (a colour's photos, the new colour's included), under the grid's own prefix.
   - Inputs and selects get the id Django gives a field by its name ("id_" and the name).
     ppFieldIds(root) does the same for rows built later. */
(function () {
  "use strict";
  function giveIds(root) {
    var fields = (root || document).querySelectorAll("input[name]:not([id]), select[name]:not([id])");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].type !== "submit" && fields[i].type !== "button") { fields[i].id = "id_" + fields[i].name; }
    }
  }

  function newPhotoForms(root) {
    var template = root.querySelector("template[data-pg-new]");
    if (!template) { return; }
    var source = template.dataset.pgNew;
    root.querySelectorAll("[data-pg-grid]").forEach(function (grid) {
      var group = grid.closest(".djn-group");
      var prefix = group.id.replace(/-group$/, "");
      if (!group.querySelector(".pg-add") || document.getElementById(prefix + "-empty")) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.split(source).join(prefix);
      grid.appendChild(holder.firstElementChild);
    });
  }

  window.ppFieldIds = giveIds;
  var form = document.getElementById("product_form");
  if (form) {
    newPhotoForms(form);
    giveIds(form);
  }
})();
