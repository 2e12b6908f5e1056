// clubwiki — small enhancements; every page works without this script.
"use strict";

(function () {
  // debounce returns f delayed until calls stop for ms milliseconds.
  function debounce(f, ms) {
    var t;
    return function () {
      clearTimeout(t);
      t = setTimeout(f, ms);
    };
  }

  // The editor: live preview rendered by the server, Ctrl+S to save, a
  // warning before leaving with unsaved text.
  function editor(form) {
    var text = form.querySelector("#markdown");
    var preview = document.getElementById("preview");
    var initial = text.value;
    var saving = false;
    var seq = 0;

    function refresh() {
      var mine = ++seq;
      var body = new URLSearchParams();
      body.set("path", form.dataset.path);
      body.set("markdown", text.value);
      fetch("/preview", { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine === seq) { preview.innerHTML = html; }
        })
        .catch(function () {});
    }
    text.addEventListener("input", debounce(refresh, 250));
    refresh();

    form.addEventListener("submit", function () { saving = true; });
    window.addEventListener("beforeunload", function (e) {
      if (!saving && text.value !== initial) {
        e.preventDefault();
        e.returnValue = "";
      }
    });
    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        saving = true;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });
  }

  // The "new page" form: shows the canonical path the title will get.
  function newPage(form) {
    var title = form.querySelector("#title");
    var ns = form.querySelector("#ns");
    var out = document.getElementById("new-path-value");
    function refresh() {
      var q = new URLSearchParams({ ns: ns.value, title: title.value });
      fetch("/canonical?" + q.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) { out.textContent = j.path || j.message || ""; })
        .catch(function () {});
    }
    title.addEventListener("input", debounce(refresh, 200));
    ns.addEventListener("change", refresh);
    if (title.value) { refresh(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var f = document.getElementById("editor");
    if (f) { editor(f); }
    var n = document.getElementById("new-form");
    if (n) { newPage(n); }
  });
})();
