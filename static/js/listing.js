// List pages (portal.listing): select-all, export of the selected rows, the 区县 → 街道
// cascade, the page-size selector. No inline scripts (the CSP forbids them).
(function () {
  if (window.portalListing) { return; }  // included by the page and by its pagination: bind once
  window.portalListing = true;
  document.addEventListener("change", function (event) {
    var target = event.target;
    var name = target.getAttribute("data-select-all");
    if (name) {
      var boxes = target.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      boxes.forEach(function (box) { box.checked = target.checked; });
      return;
    }
    if (target.hasAttribute("data-autosubmit")) {
      target.form.submit();
      return;
    }
    if (target.hasAttribute("data-district")) {
      var street = target.form.querySelector("select[data-street]");
      if (!street) { return; }
      while (street.options.length > 1) { street.remove(1); }
      if (!target.value) { return; }
      var url = street.getAttribute("data-streets-url") + "?district=" + encodeURIComponent(target.value);
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {streets: []}; })
        .then(function (data) {
          data.streets.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.code;
            option.textContent = item.name;
            street.appendChild(option);
          });
        });
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-export-selected]");
    if (!button) { return; }
    event.preventDefault();
    var form = button.closest("form") || document;
    var ids = Array.prototype.map.call(form.querySelectorAll('input[name="ids"]:checked'),
                                       function (box) { return "ids=" + encodeURIComponent(box.value); });
    if (!ids.length) { window.alert("请先勾选要导出的记录"); return; }
    var url = button.getAttribute("data-export-selected");
    window.location.href = url + (url.indexOf("?") < 0 ? "?" : "&") + ids.join("&");
  });
})();
