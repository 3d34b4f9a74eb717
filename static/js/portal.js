// Portal behaviour without inline scripts (the CSP forbids them).
// data-confirm: ask before an irreversible move; on 确定 the submission carries confirm=1, which
// the server requires (portal/confirm.py) — without it the server shows its own confirmation page.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (!question) {
    return;
  }
  if (!window.confirm(question)) {
    event.preventDefault();
    return;
  }
  var flag = form.querySelector("input[name=confirm]");
  if (!flag) {
    flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "confirm";
    form.appendChild(flag);
  }
  flag.value = "1";
});

// Forms marked data-submit-once (e.g. 录入实际支出): the button is disabled once the form is
// sent, so a double click posts once (the server's one-time form token catches the rest).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || !form.hasAttribute("data-submit-once")) {
    return;
  }
  if (form.getAttribute("data-submitted") === "1") {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-submitted", "1");
  var buttons = form.querySelectorAll("button, input[type=submit]");
  window.setTimeout(function () {
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
    }
  }, 0);
});

// List tables turn into cards on phones (portal.css): each cell needs its column's name in
// data-label. Templates may write it; the cells that lack one take it from the header row.
function labelTableCells(root) {
  (root || document).querySelectorAll("table.table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) { return; }
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.replace(/[▲▼]/g, "").trim(); });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      var index = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", names[index] || "");
        }
        index += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });
document.addEventListener("htmx:afterSwap", function (event) { labelTableCells(event.target); });

// The last breadcrumb of a detail page is the page's own title when the template names none.
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector("[data-crumb-current]");
  if (current && !current.textContent.trim()) {
    current.textContent = document.title.split(" · ")[0];
  }
});
