// The import page's progress bar: asks the server how far the import is, and shows the outcome when it is done.
(function () {
  "use strict";
  var section = document.getElementById("import-progress");
  if (!section) return;
  var bar = document.getElementById("import-bar");
  var phase = document.getElementById("import-phase");
  var heading = document.getElementById("progress-label");
  var url = section.getAttribute("data-progress-url");
  var failures = 0;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (progress) {
        failures = 0;
        if (progress.finished) {
          window.location.reload();  // the page then shows the summary or the problems
          return;
        }
        heading.textContent = progress.label + "\u2026";  // "Waiting for a worker…" becomes "Importing…"
        bar.value = progress.percent;
        bar.textContent = progress.percent + " %";
        phase.textContent = progress.text;
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        failures += 1;
        phase.textContent = "Could not reach the server; trying again…";
        window.setTimeout(poll, Math.min(30000, 2000 * failures));
      });
  }
  window.setTimeout(poll, 1000);
})();
