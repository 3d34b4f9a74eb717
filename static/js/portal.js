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
