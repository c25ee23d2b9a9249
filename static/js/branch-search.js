/* Choosing a branch by name on the points dashboard: the search box (role=combobox) asks the
   server for a short list (data-lookup, JSON {results: [{id, name, category, unit}]}) while typing;
   ↑/↓ move through it, Enter or a click chooses, Escape closes. Choosing fills the hidden input
   named in data-choice and submits the form. Without this script the form still works: submitting
   the typed name lists the matches on the page. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-lookup]").forEach(function (input) {
    var form = input.form;
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var choice = document.getElementById(input.getAttribute("data-choice"));
    if (!form || !list || !choice) { return; }
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      list.textContent = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item small text-muted";
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.id = list.id + "-none";
        none.textContent = input.getAttribute("data-empty") || "";
        list.appendChild(none);
      }
      results.forEach(function (row, i) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-action small";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.id = list.id + "-" + i;
        var name = document.createElement("span");
        name.textContent = row.name;
        var detail = document.createElement("span");
        detail.className = "text-muted ms-2";
        detail.textContent = row.category + " · " + row.unit;
        item.appendChild(name);
        item.appendChild(detail);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function choose(index) {
      var row = results[index];
      if (!row) { return; }
      choice.value = String(row.id);
      choice.disabled = false;
      input.value = row.name;
      input.removeAttribute("name"); // the chosen branch is sent, not the text searched for
      close();
      form.submit();
    }

    function lookup() {
      var text = input.value.trim();
      if (!text) { results = []; close(); return; }
      var params = new URLSearchParams({ q: text });
      ["category", "unit", "unit_q"].forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && field.value) { params.set(name, field.value); }
      });
      var ticket = ++asked;
      fetch(input.getAttribute("data-lookup") + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (ticket !== asked) { return; } // an older answer arriving late
          results = data.results || [];
          render();
        })
        .catch(function () { /* the form still works without suggestions */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { if (results.length) { render(); } else { lookup(); } return; }
        event.preventDefault();
        if (!results.length) { return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + results.length) % results.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  });
})();
