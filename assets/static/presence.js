// clubwiki — presence: the editor says every few seconds that this member
// has the page open, shows who else has, since when and whether they have
// unsaved changes, and says at once when someone saved meanwhile, offering
// to merge their changes into the text being written. It never blocks.
"use strict";

(function () {
  var EVERY = 5000; // ms between heartbeats, unless the page says (data-presence-every)

  function api(path) { return path.split("/").map(encodeURIComponent).join("/"); }
  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (r.redirected || !r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function presence(form) {
    var t = (document.getElementById("editor-texts") || { dataset: {} }).dataset;
    var text = form.querySelector("#markdown");
    var base = form.querySelector("input[name=base_rev]");
    var box = document.getElementById("presence");
    var path = form.dataset.path;
    if (!text || !base || !box || !path) { return; }
    var url = "/api/presence/" + api(path);
    var section = !!form.querySelector("input[name=section]");
    var initial = text.value, told = 0, leaving = false;
    var list = document.createElement("p");
    var news = document.createElement("p");
    list.className = "presence-editors";
    news.className = "presence-news";
    box.appendChild(list);
    box.appendChild(news);

    function time(s) { return new Date(s).toLocaleTimeString(t.lang, { hour: "2-digit", minute: "2-digit" }); }
    var shown = null; // the list last shown, as JSON: a heartbeat that changes nothing touches no node
    function show(eds) {
      var key = JSON.stringify(eds);
      if (key === shown) { return; }
      shown = key;
      list.textContent = "";
      if (!eds.length) { list.hidden = true; return; }
      list.hidden = false;
      list.appendChild(document.createTextNode((t.presenceOthers || "") + " "));
      eds.forEach(function (e, i) {
        var who = document.createElement("a");
        who.className = "presence-editor";
        who.href = "/membres/" + encodeURIComponent(e.login);
        who.setAttribute("data-login", e.login);
        var label = e.name + " (" + (t.presenceSince || "%s").replace("%s", time(e.since));
        if (e.unsaved) { label += ", " + t.presenceUnsaved; }
        who.textContent = label + ")";
        if (i > 0) { list.appendChild(document.createTextNode(", ")); }
        list.appendChild(who);
      });
    }
    // moved tells that revision rev was saved by someone else, once.
    function moved(rev) {
      var seen = form.querySelector("input[name=head_rev]"); // after a conflict: the head shown
      if (rev <= Math.max(+base.value, seen ? +seen.value : 0) || rev <= told) { return; }
      told = rev;
      fetch("/api/history/" + api(path) + "?limit=1", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { revisions: [] }; })
        .catch(function () { return { revisions: [] }; })
        .then(function (h) {
          var by = (h.revisions && h.revisions[0] && h.revisions[0].author) || t.presenceSomeone;
          news.textContent = (t.presenceSaved || "").replace("%s", by).replace("%d", rev) + " ";
          if (section || seen) {
            news.appendChild(document.createTextNode(t.presenceSection || ""));
          } else {
            var b = document.createElement("button");
            b.type = "button";
            b.id = "bring-in";
            b.textContent = t.presenceBring;
            b.addEventListener("click", bring);
            news.appendChild(b);
          }
          box.hidden = false;
        });
    }
    // bring merges what others saved into the text, as a save would, and
    // makes the head the edit's new base; where both changed the same
    // words the text stays as it is and the save shows the conflict.
    function bring() {
      post("/api/rebase/" + api(path), { markdown: text.value, base_rev: +base.value })
        .then(function (j) {
          if (j.conflicts) { news.textContent = t.presenceConflicts; return; }
          var caret = text.selectionStart;
          text.value = j.markdown;
          base.value = j.head_rev;
          text.setSelectionRange(Math.min(caret, text.value.length), Math.min(caret, text.value.length));
          text.dispatchEvent(new Event("input", { bubbles: true }));
          news.textContent = t.presenceBrought;
        })
        .catch(function () {});
    }
    function beat() {
      if (leaving || document.visibilityState === "hidden") { return; }
      post(url, { unsaved: text.value !== initial })
        .then(function (j) {
          show(j.editors || []);
          box.hidden = !(j.editors || []).length && !news.textContent;
          moved(j.head_rev || 0);
        })
        .catch(function () {});
    }
    beat();
    setInterval(beat, +t.presenceEvery || EVERY);
    // The first unsaved keystroke is news for the others: told at once.
    var unsaved = false;
    text.addEventListener("input", function () {
      if (!unsaved && text.value !== initial) { unsaved = true; beat(); }
    });
    document.addEventListener("visibilitychange", beat);
    form.addEventListener("submit", function () { initial = text.value; });
    window.addEventListener("pagehide", function () {
      leaving = true;
      post(url, { leaving: true }, true).catch(function () {});
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var f = document.getElementById("editor");
    if (f) { presence(f); }
  });
})();
