// On a phone (600 px or less), the header menu and the filter forms fold behind a button; wider, they are always
// shown. Each folded part is marked data-collapsible="Button label". Without JavaScript everything stays shown.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 600px)");
  var parts = [];

  document.querySelectorAll("[data-collapsible]").forEach(function (part, index) {
    if (!part.id) part.id = "collapsible-" + index;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "collapse-toggle " + (part.dataset.toggleClass || "");
    button.textContent = part.dataset.collapsible;
    if (part.dataset.badge) {  // e.g. the unread notifications, seen on the folded menu's button too
      var badge = document.createElement("span");
      badge.className = "count badge";
      badge.textContent = part.dataset.badge;
      var words = document.createElement("span");
      words.className = "sr-only";
      words.textContent = " unread notifications";
      badge.appendChild(words);
      button.appendChild(document.createTextNode(" "));
      button.appendChild(badge);
    }
    button.setAttribute("aria-controls", part.id);
    button.setAttribute("aria-expanded", "false");
    part.parentNode.insertBefore(button, part);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      part.hidden = !open;
      if (open) {
        var first = part.querySelector("a, input, select, button, textarea");
        if (first) first.focus();
      }
    });
    parts.push({ part: part, button: button });
  });

  function apply() {
    parts.forEach(function (item) {
      var keepOpen = item.part.querySelector(".error-text, .errorlist");  // a form with errors stays open
      item.button.hidden = !phone.matches;
      item.part.hidden = phone.matches && !keepOpen && item.button.getAttribute("aria-expanded") !== "true";
      if (keepOpen) item.button.setAttribute("aria-expanded", "true");
    });
  }
  apply();
  if (phone.addEventListener) phone.addEventListener("change", apply);
})();
