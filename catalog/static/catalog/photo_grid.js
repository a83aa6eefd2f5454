/* A colour's photos as a grid of thumbnails (photo_grid.html). A tile dragged over another
   takes its place; its arrow buttons move it by one, for the keyboard. Each move renumbers
   the position inputs that the save posts (nested_admin numbers them again, in the same
   order, when the form is submitted). A thumbnail is a <summary>: clicking it opens the
   photo's editor, built from the page's <template> and the tile's hidden inputs the first
   time (a stored photo comes without one, to keep the page light). */
(function () {
  "use strict";

  function tiles(grid) {
    return Array.prototype.filter.call(grid.children, function (element) {
      return element.classList.contains("pg-tile") && !element.classList.contains("djn-empty-form");
    });
  }

  function moveButtons(tile) {
    var moves = document.createElement("div");
    moves.className = "pg-moves";
    [["-1", "\u2190"], ["1", "\u2192"]].forEach(function (move) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pg-move";
      button.dataset.pgMove = move[0];
      button.textContent = move[1];
      moves.appendChild(button);
    });
    tile.appendChild(moves);
  }

  /* A stored photo's editor: the template's role and alt text rows under the tile's own
     prefix, given the values of the tile's hidden inputs, which they replace. */
  function buildEditor(details) {
    var editor = details.querySelector(".pg-editor[data-pg-closed]");
    var template = editor && document.querySelector("template[data-pg-editor]");
    var position = details.parentNode.querySelector("input[name$='-position']");
    if (!template || !position) { return; }
    delete editor.dataset.pgClosed;
    var prefix = position.name.slice(0, -"-position".length);
    var rows = document.createElement("div");
    rows.innerHTML = template.innerHTML.split(template.dataset.pgEditor).join(prefix);
    rows.querySelectorAll("[name]").forEach(function (input) {
      var stored = editor.querySelector("input[type=hidden][name='" + input.name + "']");
      var value = stored ? stored.value : "";
      if (input.tagName === "SELECT") {
        // Its chosen option only, as the server renders it: opening it fills in the others.
        var chosen = window.ppChoiceOptions && window.ppChoiceOptions(input.dataset.choices).find(
          function (option) { return option.value === value; });
        input.textContent = "";
        if (chosen) { input.appendChild(chosen.cloneNode(true)); }
      }
      input.value = value;
      if (stored) { stored.remove(); }
    });
    var remove = editor.querySelector(".delete");
    var role = rows.querySelector(".pg-role");
    if (remove && role) { role.appendChild(document.createTextNode(" ")); role.appendChild(remove); }
    editor.prepend.apply(editor, Array.prototype.slice.call(rows.children));
    if (window.ppFieldIds) { window.ppFieldIds(editor); }
  }

  function renumber(grid) {
    var all = tiles(grid);
    all.forEach(function (tile, index) {
      if (tile.hasAttribute("draggable") && !tile.querySelector(".pg-moves")) { moveButtons(tile); }
      var position = tile.querySelector("input[name$='-position']");
      if (position) { position.value = index + 1; }
      var number = tile.querySelector(".pg-number");
      if (number) { number.textContent = String(index + 1); }
      tile.querySelectorAll("[data-pg-move]").forEach(function (button) {
        var step = Number(button.dataset.pgMove);
        var target = index + step;
        button.disabled = target < 0 || target >= all.length || !all[target].hasAttribute("draggable");
        var label = "Move photo " + (index + 1) + (step < 0 ? " earlier" : " later");
        button.setAttribute("aria-label", label);
        button.title = label;
      });
    });
  }

  function announce(grid, tile) {
    var status = grid.parentNode.querySelector(".pg-status");
    var all = tiles(grid);
    if (status) { status.textContent = "Photo moved to position " + (all.indexOf(tile) + 1) + " of " + all.length + "."; }
  }

  function move(tile, step) {
    var grid = tile.parentNode;
    var all = tiles(grid);
    var other = all[all.indexOf(tile) + step];
    if (!other) { return; }
    grid.insertBefore(tile, step < 0 ? other : other.nextSibling);
    renumber(grid);
    announce(grid, tile);
  }

  var dragged = null;

  function start() {
    document.querySelectorAll("[data-pg-grid]").forEach(renumber);
    document.addEventListener("toggle", function (event) {
      if (event.target.open && event.target.classList.contains("pg-photo")) { buildEditor(event.target); }
    }, true);

    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-pg-move]");
      if (!button) { return; }
      event.preventDefault();
      move(button.closest(".pg-tile"), Number(button.dataset.pgMove));
      button.focus();  // moving the tile took the focus away from its button
    });

    document.addEventListener("dragstart", function (event) {
      var tile = event.target.closest && event.target.closest(".pg-tile[draggable=true]");
      if (!tile) { return; }
      dragged = tile;
      tile.classList.add("pg-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", tile.id);
    });
    document.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      var tile = event.target.closest && event.target.closest(".pg-tile");
      if (!tile || tile.parentNode !== dragged.parentNode || !tile.hasAttribute("draggable")) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      if (tile === dragged) { return; }
      var box = tile.getBoundingClientRect();
      var after = event.clientX > box.left + box.width / 2;
      tile.parentNode.insertBefore(dragged, after ? tile.nextSibling : tile);
    });
    document.addEventListener("drop", function (event) {
      if (dragged) { event.preventDefault(); }
    });
    document.addEventListener("dragend", function () {
      if (!dragged) { return; }
      var tile = dragged;
      dragged = null;
      tile.classList.remove("pg-dragging");
      renumber(tile.parentNode);
      announce(tile.parentNode, tile);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
