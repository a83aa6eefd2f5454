/* Run at the end of the product form, before the scripts that start on DOMContentLoaded
   (nested_admin's rows, product_page.js, photo_grid.js): what the server leaves out to keep
   the page light is put back here.

   - A tabular inline's stored rows after its first, and a colour's stored photos after its
     first, are built from their data.
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

  /* Each row of a data script (<script data-pp-rows> or <script data-pg-tiles>, naming the
     first stored row it copies) becomes a copy of that row under the row's own form index
     (row[0]), its inputs renamed; fill(copy, row, from) gives it its values. */
  function copiesOf(root, attribute, fill) {
    root.querySelectorAll("script[" + attribute + "]").forEach(function (script) {
      var source = document.getElementById(script.getAttribute(attribute));
      var prefix = source.id.replace(/-\d+$/, "");
      var from = source.id.length + 1;
      JSON.parse(script.textContent).forEach(function (row) {
        var copy = source.cloneNode(true);
        copy.id = prefix + "-" + row[0];
        copy.querySelectorAll("[name]").forEach(function (input) {
          input.name = copy.id + "-" + input.name.slice(from);
        });
        fill(copy, row, from);
        script.parentNode.insertBefore(copy, script);
      });
      script.remove();
    });
  }

  /* A tabular inline's stored rows after its first: each row's name, then its inputs'
     values. */
  function fillRow(copy, row) {
    var name = copy.querySelector("td.original p");
    if (name) { name.textContent = row[1]; }
    var inputs = copy.querySelectorAll("input:not([type=checkbox]), select, textarea");
    for (var i = 0; i < inputs.length; i++) {
      var value = row[i + 2];
      if (value === null || value === undefined) {
        inputs[i].removeAttribute("value");
        inputs[i].value = "";
      } else {
        inputs[i].setAttribute("value", value);
        inputs[i].value = value;
      }
    }
  }

  /* A colour's stored photos after its first: each its id, position, thumbnail, caption and
     its editor's values. */
  function fillTile(copy, tile, from) {
    copy.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor = "id_" + copy.id + "-" + label.htmlFor.slice(from + 3);
    });
    copy.querySelector("input[name$='-id']").value = tile[1];
    copy.querySelector("input[name$='-position']").value = tile[2];
    // The thumbnail (an image, or a note while it is made) is what precedes the caption.
    var caption = copy.querySelector(".pg-caption");
    while (caption.previousSibling) { caption.previousSibling.remove(); }
    caption.insertAdjacentHTML("beforebegin", tile[3]);
    caption.innerHTML = '<span class="pg-number"></span> ' + tile[4];
    var editor = copy.querySelector(".pg-editor");
    editor.querySelectorAll("input[type=hidden]").forEach(function (input) { input.remove(); });
    tile[5].slice().reverse().forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = copy.id + "-" + pair[0];
      input.value = pair[1];
      editor.prepend(input);
    });
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
    copiesOf(form, "data-pp-rows", fillRow);
    copiesOf(form, "data-pg-tiles", fillTile);
    newPhotoForms(form);
    giveIds(form);
  }
})();
