// The filter: show the findings (pinned and listed by rule) of the checked severities and rules.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  if (!form) return;
  function checked(name) {
    var values = {};
    form.querySelectorAll("input[name=" + name + "]:checked").forEach(function (box) {
      values[box.value] = true;
    });
    return values;
  }
  function apply() {
    var severities = checked("severity");
    var rules = checked("rule");
    var shown = 0;
    document.querySelectorAll(".finding, .ref").forEach(function (item) {
      var visible = !!(severities[item.dataset.severity] && rules[item.dataset.code]);
      item.hidden = !visible;
      if (visible && item.classList.contains("finding")) shown += 1;
    });
    document.querySelectorAll(".rule-group").forEach(function (group) {
      group.hidden = !group.querySelector(".ref:not([hidden])");
    });
    document.querySelectorAll(".row.flagged").forEach(function (row) {
      row.classList.toggle("filtered-out", !row.querySelector(".finding:not([hidden])"));
    });
    document.getElementById("shown").textContent = String(shown);
  }
  form.addEventListener("change", apply);
  form.querySelectorAll("button[data-check]").forEach(function (button) {
    button.addEventListener("click", function () {
      form.querySelectorAll("input[name=rule]").forEach(function (box) {
        box.checked = button.dataset.check === "all";
      });
      apply();
    });
  });
  apply();
})();
