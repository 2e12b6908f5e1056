// clubwiki — drafts: what is typed in the editor is kept in this browser
// at once and on the server every few seconds and when the page is hidden,
// so that a closed tab, a crashed browser or a restarted server loses at
// most a few seconds. Reopening the editor offers to restore it.
"use strict";

(function () {
  var EVERY = 3000; // ms between two saves to the server while typing, unless the page says (data-draft-every)

  function texts() { return (document.getElementById("editor-texts") || { dataset: {} }).dataset; }
  function fmt(s, a, b) { return (s || "").replace("%s", a).replace("%d", b === undefined ? a : b); }
  function api(path) { return path.split("/").map(encodeURIComponent).join("/"); }
  function json(method, url, body, keepalive) {
    return fetch(url, {
      method: method, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      if (r.redirected || !r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
      return r.json();
    });
  }
  // segments renders a word diff ([{op,text}]) as text with ins/del.
  function segments(box, words) {
    box.textContent = "";
    words.forEach(function (s) {
      var el = s.op === "+" ? document.createElement("ins") : s.op === "-" ? document.createElement("del") : document.createElement("span");
      el.textContent = s.text;
      box.appendChild(el);
    });
  }
  function storageKey(t, path, section) {
    return "clubwiki:draft:" + (t.user || "") + ":" + path + (section ? "#" + section : "");
  }
  function readLocal(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function writeLocal(key, v) {
    try { if (v) { window.localStorage.setItem(key, JSON.stringify(v)); } else { window.localStorage.removeItem(key); } } catch (e) { /* full or off: the server copy remains */ }
  }

  function drafts(form) {
    var t = texts();
    var text = form.querySelector("#markdown");
    var base = form.querySelector("input[name=base_rev]");
    var sectionIn = form.querySelector("input[name=section]");
    var section = sectionIn ? sectionIn.value : "";
    var path = form.dataset.path;
    var status = document.getElementById("editor-status");
    if (!text || !base || !path || !t.user) { return; }
    var key = storageKey(t, path, section);
    var server = !section; // a section's draft stays in this browser
    var url = "/api/drafts/" + api(path);
    var shown = text.value; // what the editor opened with
    var dirty = form.hasAttribute("data-unsaved");
    var inflight = null, stopped = false, timer = null;

    function say(msg) { if (status) { status.textContent = msg; } }
    function local() {
      writeLocal(key, { markdown: text.value, base_rev: +base.value, saved: Date.now(), synced: false });
    }
    function push(keepalive) {
      if (stopped || !dirty) { return inflight || Promise.resolve(); }
      if (!server) { local(); dirty = false; return Promise.resolve(); }
      if (inflight) { return inflight; }
      var sent = text.value;
      dirty = false;
      // A keepalive request outlives the page but carries at most 64 KiB:
      // a longer text relies on the copy in this browser then.
      inflight = json("PUT", url, { markdown: sent, base_rev: +base.value }, keepalive && sent.length < 60000)
        .then(function (d) {
          if (text.value === sent) { writeLocal(key, null); }
          say(fmt(t.draftSaved, new Date(d.saved).toLocaleTimeString(t.lang)));
        })
        .catch(function () { dirty = true; say(t.draftLocal); })
        .then(function () {
          inflight = null;
          // What was typed while this draft was on its way goes next.
          if (dirty && !stopped) { later(); }
        });
      return inflight;
    }
    function later() {
      if (!timer) { timer = setTimeout(function () { timer = null; push(); }, +t.draftEvery || EVERY); }
    }
    text.addEventListener("input", function () {
      dirty = true;
      local();
      later();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { push(true); }
    });
    window.addEventListener("pagehide", function () { push(true); });
    form.addEventListener("submit", function (e) {
      if (stopped) { return; }
      // A draft on its way could land after the save and outlive it:
      // the save waits for it.
      if (inflight) {
        e.preventDefault();
        var by = e.submitter;
        inflight.then(function () { stopped = true; form.requestSubmit(by); });
        return;
      }
      stopped = true;
      var l = readLocal(key);
      if (l) { l.submitted = true; writeLocal(key, l); }
    });

    function offer(d) {
      var box = document.getElementById("draft-offer");
      if (!box) { return; }
      box.querySelector(".draft-found").textContent = fmt(t.draftFound, new Date(d.saved).toLocaleString(t.lang));
      box.hidden = false;
      if (server) {
        json("POST", "/api/diff/" + api(path), { markdown: d.markdown, base_rev: 0 })
          .then(function (j) { segments(box.querySelector(".draft-diff"), j.words || []); })
          .catch(function () {});
      }
      document.getElementById("draft-restore").onclick = function () {
        box.hidden = true;
        restore(d);
      };
      document.getElementById("draft-discard").onclick = function () {
        box.hidden = true;
        writeLocal(key, null);
        if (server) { json("DELETE", url).catch(function () {}); }
        text.focus();
      };
    }
    function put(md, rev, msg) {
      text.value = md;
      base.value = rev;
      say(msg);
      text.dispatchEvent(new Event("input", { bubbles: true }));
      text.focus();
    }
    function restore(d) {
      if (!server || d.base_rev === +base.value || !d.base_rev) { put(d.markdown, base.value, t.draftRestored); return; }
      // The page moved on since the draft began: merge it onto the head,
      // as a save would.
      json("POST", "/api/rebase/" + api(path), { markdown: d.markdown, base_rev: d.base_rev })
        .then(function (j) {
          if (j.conflicts) { put(d.markdown, d.base_rev, t.draftConflicts); }
          else { put(j.markdown, j.head_rev, j.changed ? t.draftMerged : t.draftRestored); }
        })
        .catch(function () { put(d.markdown, d.base_rev, t.draftRestored); });
    }

    if (dirty) { local(); push(); return; } // a refused save: the text on screen is the draft
    var mine = readLocal(key);
    var found = server ? json("GET", url).catch(function () { return null; }) : Promise.resolve(null);
    found.then(function (d) {
      if (mine && (!d || mine.saved > Date.parse(d.saved))) {
        d = { markdown: mine.markdown, base_rev: mine.base_rev, saved: new Date(mine.saved).toISOString() };
      }
      if (!d) { return; }
      if (d.markdown === shown) { // nothing to restore: forget it
        writeLocal(key, null);
        if (server) { json("DELETE", url).catch(function () {}); }
        return;
      }
      offer(d);
    });
  }

  // After a save, the page shows its notice: the browser's copy of what
  // was submitted has done its job.
  function saved() {
    var m = /^\/wiki\/(.+)$/.exec(window.location.pathname);
    if (!m || !document.querySelector(".flash")) { return; }
    var path = decodeURIComponent(m[1]);
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var k = window.localStorage.key(i);
        var at = k.indexOf(":", "clubwiki:draft:".length);
        if (k.indexOf("clubwiki:draft:") !== 0 || at < 0) { continue; }
        var rest = k.slice(at + 1);
        if (rest === path || rest.indexOf(path + "#") === 0) {
          var v = readLocal(k);
          if (v && v.submitted) { window.localStorage.removeItem(k); }
        }
      }
    } catch (e) { /* storage off */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var f = document.getElementById("editor");
    if (f) { drafts(f); } else { saved(); }
  });
})();
