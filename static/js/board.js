// The campaign board: drag a card to another stage (SortableJS), or use its stage menu, or select several cards and
// move them together; each move is saved without reloading the page, and the counts and fee totals follow.
// Without JavaScript the same forms post and the page reloads.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var status = document.getElementById("board-status");
  var bulk = document.getElementById("bulk-move");
  var token = bulk.querySelector("[name=csrfmiddlewaretoken]").value;

  function say(level, text) {
    status.className = "msg " + level;
    status.textContent = text;
    status.hidden = false;
  }

  function refresh(columns) {
    Object.keys(columns || {}).forEach(function (stage) {
      board.querySelectorAll('[data-count="' + stage + '"]').forEach(function (el) {
        el.textContent = columns[stage].count;
      });
      var fees = board.querySelector('[data-fees="' + stage + '"]');
      if (fees) fees.textContent = columns[stage].fees;
    });
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    }).then(function (response) {
      return response.json().catch(function () {
        throw new Error("The move could not be saved (the server answered " + response.status + "). Reload the page.");
      });
    }, function () {
      throw new Error("The move could not be saved: no connection. Check it and try again.");
    });
  }

  function place(card, stage) {
    board.querySelector('[data-stage="' + stage + '"] .cards').appendChild(card);
    card.querySelector("select[name=stage]").value = stage;
    var box = card.querySelector("input[type=checkbox]");
    if (box) box.checked = false;
  }

  function move(card, stage, undo) {
    var data = new FormData();
    data.append("stage", stage);
    return send(card.dataset.move, data).then(function (answer) {
      if (answer.level === "error") throw new Error(answer.message);
      place(card, stage);
      say(answer.level, answer.message);
      refresh(answer.columns);
    }).catch(function (error) {
      if (undo) undo();
      say("error", error.message);
    });
  }

  // Drag and drop between stages (touch too: a short press starts a drag, a swipe scrolls the columns).
  if (window.Sortable) {
    board.querySelectorAll(".cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "board",
        sort: false,
        animation: 150,
        delay: 200,
        delayOnTouchOnly: true,
        filter: "input, select, button, a, label",
        preventOnFilter: false,
        ghostClass: "dragging",
        onEnd: function (event) {
          if (event.from === event.to) return;
          var card = event.item;
          var stage = event.to.closest("[data-stage]").dataset.stage;
          var from = event.from, index = event.oldIndex;
          move(card, stage, function () { from.insertBefore(card, from.children[index] || null); });
        },
      });
    });
  }

  // The stage menu of a card (the keyboard's way) and the bulk move, saved in place.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("move") && board.contains(form)) {
      event.preventDefault();
      var card = form.closest(".board-card");
      move(card, form.querySelector("select[name=stage]").value).then(function () {
        form.querySelector("select[name=stage]").focus();
      });
    } else if (form === bulk && !(event.submitter && event.submitter.hasAttribute("formaction"))) {
      event.preventDefault();
      var data = new FormData(bulk);
      var stage = data.get("stage");
      send(bulk.action, data).then(function (answer) {
        say(answer.level, answer.message);
        if (answer.level === "error") return;
        board.querySelectorAll("input[form=bulk-move]:checked").forEach(function (box) {
          place(box.closest(".board-card"), stage);
        });
        refresh(answer.columns);
      }).catch(function (error) { say("error", error.message); });
    }
  });
})();
