// The creator picker: type part of a name, e-mail or @handle and choose from the suggestions (arrow keys and Enter,
// or a click). The chosen creator's id goes into the hidden field; typing again clears it. Without JavaScript the
// form finds the creator from the text and offers the matches when there are several.
(function () {
  "use strict";
  document.querySelectorAll(".creator-pick[data-lookup]").forEach(function (pick, n) {
    var hidden = pick.querySelector("input[type=hidden]");
    var input = pick.querySelector("input[type=text]");
    var list = document.createElement("ul");
    list.id = "creator-pick-list-" + n;
    list.className = "pick-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    pick.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var timer = null, active = -1, rows = [], asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (items[index]) input.setAttribute("aria-activedescendant", items[index].id);
    }
    function choose(index) {
      var row = rows[index];
      if (!row) return;
      hidden.value = row.id;
      input.value = row.name;
      close();
    }
    function show(results) {
      rows = results;
      list.textContent = "";
      results.forEach(function (row, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = row.name;
        var detail = document.createElement("span");
        detail.className = "muted small";
        detail.textContent = row.detail;
        li.appendChild(name);
        li.appendChild(detail);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "No active creator matches.";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function lookup() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      var mine = ++asked;
      fetch(pick.dataset.lookup + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (mine === asked) show(data.results || []);
      }).catch(close);
    }
    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, rows.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
