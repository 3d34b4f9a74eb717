// Public site: the region filter submits on change; the 公示 countdown ticks (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  var box = document.querySelector("[data-testid=countdown][data-ends]");
  if (!box) { return; }
  var end = new Date(box.dataset.ends + "T23:59:59+08:00");
  function tick() {
    var left = Math.max(0, end - new Date());
    var d = Math.floor(left / 86400000), h = Math.floor(left % 86400000 / 3600000), m = Math.floor(left % 3600000 / 60000);
    box.querySelector("strong").textContent = d + " 天 " + h + " 小时 " + m + " 分";
  }
  tick();
  setInterval(tick, 30000);
});
