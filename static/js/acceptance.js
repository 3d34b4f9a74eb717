// Inbox filters submit themselves when changed (no inline scripts: the CSP forbids them).
document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});
