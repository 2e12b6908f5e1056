// clubwiki — an axis page's filter as you type: the tree is asked again of
// the server (the same ?filtre= the form sends without script) and
// replaced in place.
"use strict";

(function () {
  var input = document.querySelector("input[data-axis-filter]");
  if (!input || !window.fetch || !window.DOMParser) { return; }
  var form = input.form;
  var seq = 0;
  var timer;

  function refresh() {
    var mine = ++seq;
    var url = form.getAttribute("action");
    var q = input.value.trim();
    if (q !== "") { url += "?filtre=" + encodeURIComponent(q); }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (mine !== seq) { return; } // a later keystroke's answer wins
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("axis-results");
        var here = document.getElementById("axis-results");
        if (fresh && here) {
          here.replaceWith(document.importNode(fresh, true));
          history.replaceState(null, "", url);
        }
      })
      .catch(function () { /* the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();
