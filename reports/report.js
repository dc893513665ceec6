/* crmsec HTML report: filter and sort the findings tables without a server.
   Progressive enhancement only: without JavaScript every finding is listed and readable. Allowed by the CSP
   through its sha256 hash; it reads the page, never the network, and writes text with textContent only. */
(function () {
  "use strict";
  var root = document.getElementById("findings");
  if (!root) { return; }
  var form = document.getElementById("finding-filters");
  var count = document.getElementById("finding-count");
  var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr[data-status]"));
  var groups = Array.prototype.slice.call(root.querySelectorAll("section[data-group]"));

  function value(id) {
    var element = document.getElementById(id);
    return element ? element.value : "";
  }

  function apply() {
    var text = value("filter-text").toLowerCase();
    var status = value("filter-status");
    var severity = value("filter-severity");
    var dimension = value("filter-dimension");
    var shown = 0;
    rows.forEach(function (row) {
      var statuses = " " + (row.getAttribute("data-statuses") || row.getAttribute("data-status")) + " ";
      var visible = (!status || statuses.indexOf(" " + status + " ") !== -1) &&
        (!severity || row.getAttribute("data-severity") === severity) &&
        (!dimension || row.getAttribute("data-dimension") === dimension) &&
        (!text || row.textContent.toLowerCase().indexOf(text) !== -1);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelectorAll("tbody tr[data-status]:not([hidden])").length === 0;
    });
    count.textContent = shown + " of " + rows.length + " checks shown";
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
    return numeric ? parseFloat(raw) || 0 : raw.toLowerCase();
  }

  function sortBy(table, header, index) {
    var numeric = header.classList.contains("num");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var left = cellValue(a, index, numeric);
      var right = cellValue(b, index, numeric);
      var order = left < right ? -1 : (left > right ? 1 : 0);
      return ascending ? order : -order;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(root.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (header.hasAttribute("data-nosort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = header.textContent;
      button.setAttribute("aria-label", "Sort by " + header.textContent);
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index); });
    });
  });

  ["filter-text", "filter-status", "filter-severity", "filter-dimension"].forEach(function (id) {
    var element = document.getElementById(id);
    if (element) { element.addEventListener("input", apply); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  window.addEventListener("beforeprint", function () {
    // Only tables marked print-open unfold on paper; resource lists, check notes and raw evidence stay folded
    // (report.json and report.csv hold every finding), so the PDF stays a readable length.
    Array.prototype.forEach.call(document.querySelectorAll("details.print-open"), function (item) { item.open = true; });
  });
  form.hidden = false;
  root.setAttribute("data-enhanced", "true");
  apply();
}());
