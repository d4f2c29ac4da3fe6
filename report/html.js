(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-filter-result]");
  var search = document.getElementById("search");
  var rows = document.querySelectorAll("tr.finding");
  var counter = document.getElementById("shown");

  function update() {
    var show = {};
    boxes.forEach(function (b) { show[b.getAttribute("data-filter-result")] = b.checked; });
    var q = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var ok = show[r.getAttribute("data-result")] !== false &&
        (q === "" || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    document.querySelectorAll("section.rule").forEach(function (s) {
      var match = s.querySelector("tr.finding:not([hidden])") !== null;
      s.hidden = !match && rows.length > 0 && s.querySelector("tr.finding") !== null;
      // A search opens the collapsed groups it finds rows in.
      var group = s.querySelector("details.findings");
      if (q !== "" && match && group !== null) { group.open = true; }
    });
    counter.textContent = "Showing " + shown + " of " + rows.length + " findings";
  }

  boxes.forEach(function (b) { b.addEventListener("change", update); });
  search.addEventListener("input", update);
  update();
})();
