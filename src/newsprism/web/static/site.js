// newsprism web app: live progress on an ingest job page (the page also refreshes itself
// without JavaScript through a meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-running") !== "yes") { return; }
  var refresh = document.querySelector("meta[http-equiv='refresh']");
  if (refresh) { refresh.parentNode.removeChild(refresh); }
  var id = box.getAttribute("data-job");
  function set(idName, value) {
    var el = document.getElementById(idName);
    if (el) { el.textContent = String(value); }
  }
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        set("job-state", job.state);
        set("job-processed", job.processed);
        set("job-ingested", job.ingested.length);
        set("job-duplicates", job.duplicates);
        set("job-failures", job.failures.length);
        set("job-message", job.message);
        if (job.running) { setTimeout(poll, 700); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
