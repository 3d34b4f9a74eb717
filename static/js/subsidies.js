// The progress of a background export (select-all of list pages is in listing.js).
(function () {
  var panel = document.querySelector("[data-export-progress]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-export-progress");
  var bar = panel.querySelector('[data-role="bar"]');
  var label = panel.querySelector('[data-role="label"]');
  var download = panel.querySelector('[data-role="download"]');

  function show(job) {
    bar.value = job.progress;
    label.textContent = job.state_label + "（" + job.done_rows + " / " + job.total_rows + " 行）";
    if (job.download_url && !download.querySelector("a")) {
      var link = document.createElement("a");
      link.className = "btn btn-sm btn-primary";
      link.href = job.download_url;
      link.textContent = "下载";
      download.appendChild(link);
    }
    if (job.error) { label.textContent += " 失败：" + job.error; }
    return job.state === "queued" || job.state === "running";
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (job) { if (show(job)) { window.setTimeout(poll, 2000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
