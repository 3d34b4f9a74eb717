// Portal behaviour without inline scripts (the CSP forbids them).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
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
