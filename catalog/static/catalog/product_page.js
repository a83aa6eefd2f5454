/* The product page: one tab and one locale (beside the English source) shown at a time, the
   save bar in view, and links (error summary, completeness panel) that open the tab and the
   locale of their field and focus it. Everything is in the one form; nothing is loaded. */
(function () {
  "use strict";
  var SOURCE = "en";
  var STORE = "pim.productPage.locale";

  function form() { return document.getElementById("product_form"); }

  // ------------------------------------------------------------------ tabs
  function showTab(key) {
    var found = false;
    document.querySelectorAll("[data-pp-panel]").forEach(function (panel) {
      var on = panel.dataset.ppPanel === key;
      found = found || on;
      panel.hidden = !on;
    });
    if (!found) { return false; }
    document.querySelectorAll("[data-pp-tab]").forEach(function (button) {
      var on = button.dataset.ppTab === key;
      button.setAttribute("aria-selected", on ? "true" : "false");
      button.tabIndex = on ? 0 : -1;
    });
    if (history.replaceState) { history.replaceState(null, "", "#tab-" + key); }
    return true;
  }

  function tabOf(element) {
    var panel = element && element.closest("[data-pp-panel]");
    return panel ? panel.dataset.ppPanel : null;
  }

  // ------------------------------------------------------------------ locales
  function localeOf(element) {
    var classes = element.classList || [];
    for (var i = 0; i < classes.length; i++) {
      var parts = classes[i].split("-");
      if (parts.length === 4 && parts[0] === "mt" && parts[1] === "field") {
        return {field: parts[2], locale: parts[3]};
      }
    }
    return null;
  }

  function cellHeader(cell) {
    var table = cell.closest("table");
    var head = table && table.tHead && table.tHead.rows[0];
    // Tabular inlines: the header row has the same cells as each row.
    return head && head.cells.length === cell.parentNode.cells.length ? head.cells[cell.cellIndex] : null;
  }

  /* Mark each translated field's box with its locale, and put a field's locales side by side
     (English first). Run again when rows are added. */
  function markLocales(root) {
    root.querySelectorAll(".mt").forEach(function (input) {
      if (input.dataset.ppMarked) { return; }
      var which = localeOf(input);
      if (!which) { return; }
      input.dataset.ppMarked = "1";
      var cell = input.closest("td");
      if (cell) {
        cell.dataset.ppLocale = which.locale;
        var th = cellHeader(cell);
        if (th) { th.dataset.ppLocale = which.locale; }
        return;
      }
      var box = input.closest(".fieldBox") || input.closest(".form-row");
      if (!box) { return; }
      box.dataset.ppLocale = which.locale;
      box.dataset.ppField = which.field;
      if (box.classList.contains("form-row")) {
        var pair = box.parentNode.classList.contains("pp-pair") ? box.parentNode : null;
        if (!pair) {
          var previous = box.previousElementSibling;
          if (previous && previous.classList.contains("pp-pair") && previous.dataset.ppField === which.field) {
            pair = previous;
          } else {
            pair = document.createElement("div");
            pair.className = "pp-pair";
            pair.dataset.ppField = which.field;
            box.parentNode.insertBefore(pair, box);
          }
          pair.appendChild(box);
        }
      }
    });
  }

  function currentLocale() {
    var select = document.getElementById("page-locale");
    return select ? select.value : SOURCE;
  }

  function showLocale(locale) {
    var select = document.getElementById("page-locale");
    if (select && select.value !== locale) {
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === locale; })) { return; }
      select.value = locale;
    }
    document.querySelectorAll("[data-pp-locale]").forEach(function (element) {
      var code = element.dataset.ppLocale;
      element.classList.toggle("pp-locale-off", !(locale === "all" || code === SOURCE || code === locale));
    });
    var root = form();
    if (root) { root.dataset.ppShown = locale; }
    try { sessionStorage.setItem(STORE, locale); } catch (e) { /* private mode */ }
  }

  // ------------------------------------------------------------------ jumps
  function focusable(target) {
    if (target.matches("input, select, textarea, button, [contenteditable=true]") &&
        target.offsetParent !== null) { return target; }
    // The rich-text editor hides its textarea: its editable area is next to it.
    var box = target.closest(".form-row, .fieldBox, td") || target;
    var editable = box.querySelector("[contenteditable=true]");
    if (editable) { return editable; }
    var inputs = target.querySelectorAll("input:not([type=hidden]), select, textarea, [contenteditable=true]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].offsetParent !== null) { return inputs[i]; }
    }
    return target;
  }

  function jump(id) {
    var target = document.getElementById(id);
    if (!target) { return false; }
    var which = localeOf(target);
    if (!which) {
      var marked = target.closest("[data-pp-locale]");
      which = marked ? {locale: marked.dataset.ppLocale} : null;
    }
    if (which && which.locale !== SOURCE && currentLocale() !== "all") { showLocale(which.locale); }
    var tab = tabOf(target);
    if (tab) { showTab(tab); }
    var details = target.closest("details");
    if (details) { details.open = true; }
    var element = focusable(target);
    element.scrollIntoView({block: "center"});
    if (element.focus) {
      if (!element.hasAttribute("tabindex") && !element.matches("input, select, textarea, button, a, [contenteditable=true]")) {
        element.setAttribute("tabindex", "-1");
      }
      element.focus({preventScroll: true});
    }
    return true;
  }

  // ------------------------------------------------------------------ completeness panel
  function panelShow(cell) {
    var panel = document.getElementById("completeness-panel");
    if (!panel) { return; }
    var only = document.getElementById("completeness-only-missing");
    var all = only && only.checked;
    panel.classList.toggle("cp-only-missing", !!all);
    var chosen = cell ? cell.split(":") : null;
    panel.querySelectorAll("[data-cp-cell]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.cpCell === cell ? "true" : "false");
    });
    panel.querySelectorAll("[data-cp-channel]").forEach(function (block) {
      block.querySelectorAll("[data-cp-locale]").forEach(function (list) {
        var shown = all || (chosen && chosen[0] === block.dataset.cpChannel &&
                            (list.dataset.cpLocale === "*" || list.dataset.cpLocale === chosen[1]));
        list.hidden = !shown;
      });
    });
    panel.dataset.cpCell = cell || "";
  }

  // ------------------------------------------------------------------ start
  function start() {
    var root = form();
    if (!root || !document.querySelector("[data-pp-panel]")) { return; }
    document.body.classList.add("pp-page");
    markLocales(root);
    var stored = null;
    try { stored = sessionStorage.getItem(STORE); } catch (e) { /* private mode */ }
    var select = document.getElementById("page-locale");
    showLocale(stored && select && Array.prototype.some.call(select.options, function (o) { return o.value === stored; })
               ? stored : currentLocale());
    if (select) { select.addEventListener("change", function () { showLocale(select.value); }); }

    var tabs = document.querySelectorAll("[data-pp-tab]");
    tabs.forEach(function (button, index) {
      button.addEventListener("click", function () { showTab(button.dataset.ppTab); });
      button.addEventListener("keydown", function (event) {
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (!step) { return; }
        var next = tabs[(index + step + tabs.length) % tabs.length];
        showTab(next.dataset.ppTab);
        next.focus();
        event.preventDefault();
      });
    });
    var firstError = document.querySelector(".pp-tab-errors");
    var hash = location.hash.indexOf("#tab-") === 0 ? location.hash.slice(5) : null;
    if (!(firstError && showTab(firstError.dataset.ppTab)) && !(hash && showTab(hash))) {
      showTab(tabs.length ? tabs[0].dataset.ppTab : "");
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-pp-jump]");
      if (link && jump(link.getAttribute("href").slice(1))) { event.preventDefault(); return; }
      var cell = event.target.closest("[data-cp-cell]");
      if (cell) {
        var panel = document.getElementById("completeness-panel");
        panelShow(panel.dataset.cpCell === cell.dataset.cpCell ? null : cell.dataset.cpCell);
      }
    });
    var only = document.getElementById("completeness-only-missing");
    if (only) { only.addEventListener("change", function () { panelShow(null); }); }
    panelShow(null);

    // Rows added by the inlines' "Add another" get the same locale treatment.
    new MutationObserver(function () {
      if (window.ppFieldIds) { window.ppFieldIds(root); }
      markLocales(root);
      showLocale(currentLocale());
    }).observe(root, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Selects that carry only their chosen option (SharedChoicesSelect) get the page's one list
   of options (window.ppChoices, from the shared choices script) when they are first opened. */
(function () {
  "use strict";
  var parsed = {};
  // The options of a shared list, by its key: parsed once, copied into each select.
  window.ppChoiceOptions = function (key) {
    if (!parsed[key]) {
      var lists = window.ppChoices || {};
      if (!lists[key]) { return []; }
      var holder = document.createElement("div");
      holder.innerHTML = lists[key];
      parsed[key] = Array.prototype.slice.call(holder.querySelectorAll("option"));
    }
    return parsed[key];
  };
  function fill(event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.dataset.choices || select.dataset.choicesFilled) { return; }
    var options = window.ppChoiceOptions(select.dataset.choices);
    if (!options.length) { return; }
    var value = select.value;
    select.textContent = "";
    options.forEach(function (option) { select.appendChild(option.cloneNode(true)); });
    select.value = value;
    select.dataset.choicesFilled = "1";
  }
  document.addEventListener("focusin", fill);
  document.addEventListener("mousedown", fill, true);
})();
