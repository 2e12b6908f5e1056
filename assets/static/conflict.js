// clubwiki — the conflict screen, region by region. Without this script
// the conflict form still works: the text holds both versions of each
// conflicting passage between marker lines, and the server refuses to
// save them until they are settled.
//
// The text area stays the one source of what is saved: each choice
// rewrites the passage's markers there. The member's text is kept in the
// browser's storage from the moment the conflict is shown until a save
// succeeds, so that leaving the page loses nothing.
"use strict";

(function () {
  var YOURS = "<<<<<<< yours", SPLIT = "=======", THEIRS = ">>>>>>> revision ";
  var KEY = "clubwiki.conflict.";

  // fmt replaces the %d and %s of a catalogue message, in order.
  function fmt(s) {
    var args = Array.prototype.slice.call(arguments, 1);
    return String(s || "").replace(/%[ds]/g, function () { return args.length ? String(args.shift()) : ""; });
  }

  // parse cuts a text with conflict markers into segments: {text} for
  // what is settled, {mine, theirs} for a conflicting passage. It answers
  // null when the markers are damaged (the server says so itself).
  function parse(md) {
    var lines = md.replace(/\r\n/g, "\n").split(/(?<=\n)/);
    var segs = [], text = "", cur = null, side = "";
    lines.forEach(function (line) {
      var bare = line.replace(/\n$/, "");
      if (bare === YOURS && !cur) {
        if (text) { segs.push({ text: text }); text = ""; }
        cur = { mine: "", theirs: "" }; side = "mine";
      } else if (bare === SPLIT && cur && side === "mine") {
        side = "theirs";
      } else if (bare.indexOf(THEIRS) === 0 && cur && side === "theirs") {
        segs.push(cur); cur = null;
      } else if (cur) {
        cur[side] += line;
      } else {
        text += line;
      }
    });
    if (cur) { return null; }
    if (text) { segs.push({ text: text }); }
    return segs;
  }

  // nl ends s with a newline, as the markers need.
  function nl(s) { return s === "" || s.slice(-1) === "\n" ? s : s + "\n"; }

  // render writes the segments back as one text, every unsettled passage
  // between its markers.
  function render(segs, headRev) {
    return segs.map(function (s) {
      if (s.text !== undefined) { return s.text; }
      if (s.choice !== undefined) { return s.choice; }
      return YOURS + "\n" + nl(s.mine) + SPLIT + "\n" + nl(s.theirs) + THEIRS + headRev + "\n";
    }).join("");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function button(label, cls, onclick) {
    var b = el("button", cls, label);
    b.type = "button";
    b.addEventListener("click", onclick);
    return b;
  }

  // store keeps the member's text for the page until it is saved.
  // pending says the text was sent: a page view right after is its save.
  function store(data, text, pending) {
    try {
      localStorage.setItem(KEY + data.path, JSON.stringify({ text: text, data: data, time: Date.now(), pending: !!pending }));
    } catch (e) { /* storage full or refused: the page itself still holds the text */ }
  }

  function stored(path) {
    try { return JSON.parse(localStorage.getItem(KEY + path) || "null"); } catch (e) { return null; }
  }

  function forget(path) {
    try { localStorage.removeItem(KEY + path); } catch (e) { /* nothing kept */ }
  }

  // screen builds the region-by-region screen above the editor's form.
  function screen(form, data) {
    var text = form.querySelector("#markdown");
    var w = data.words || {};
    var segs = text && parse(text.value);
    if (!segs) { return; }
    // The base of each passage, found again by its two sides. The form
    // shown again after a refused save has none: those kept when the
    // conflict was first shown still hold.
    var bases = {};
    segs.filter(function (s) { return s.mine !== undefined; }).forEach(function (s, i) {
      if (data.bases && data.bases[i] !== undefined) { bases[s.mine + "\u0000" + s.theirs] = data.bases[i]; }
    });
    var before = stored(data.path);
    if (before && before.data && before.data.head_rev === data.head_rev && before.data.by_sides) {
      Object.keys(before.data.by_sides).forEach(function (k) {
        if (!(k in bases)) { bases[k] = before.data.by_sides[k]; }
      });
    }
    data.by_sides = bases;
    var box = el("section", "conflict-screen");
    box.id = "conflict-screen";
    box.setAttribute("aria-live", "polite");
    form.parentNode.insertBefore(box, form);
    var applying = false;

    function write() {
      applying = true;
      text.value = render(segs, data.head_rev);
      text.dispatchEvent(new Event("input", { bubbles: true }));
      applying = false;
      store(data, text.value);
      draw();
    }

    function card(s, n, total) {
      var c = el("section", "conflict-region" + (s.choice !== undefined ? " settled" : ""));
      c.appendChild(el("h3", "", fmt(w["conflict.region"], n, total)));
      if (s.choice !== undefined) {
        c.appendChild(el("p", "settled-note", w["conflict.resolved"]));
        c.appendChild(el("pre", "conflict-text", s.choice));
        c.appendChild(button(w["conflict.undo"], "undo", function () { delete s.choice; write(); }));
        return c;
      }
      var base = bases[s.mine + "\u0000" + s.theirs];
      var sides = el("div", "conflict-sides");
      if (base !== undefined) {
        sides.appendChild(side(w["conflict.base"], base, "base"));
      }
      sides.appendChild(side(w["conflict.mine"], s.mine, "mine"));
      var theirs = side(fmt(w["conflict.theirs"], data.who || w["conflict.someone"]), s.theirs, "theirs");
      if (data.summary) { theirs.insertBefore(el("p", "hint", data.summary), theirs.lastChild); }
      sides.appendChild(theirs);
      c.appendChild(sides);
      var acts = el("p", "conflict-actions");
      var confirm = el("p", "conflict-confirm");
      confirm.hidden = true;
      confirm.appendChild(el("span", "", w["conflict.replace_confirm"] + " "));
      confirm.appendChild(button(w["conflict.replace"], "danger replace", function () { s.choice = s.mine; write(); }));
      var hand = el("div", "conflict-hand");
      hand.hidden = true;
      var area = el("textarea");
      area.rows = 6;
      area.value = nl(s.mine) + s.theirs;
      area.setAttribute("aria-label", w["conflict.edit"]);
      hand.appendChild(area);
      hand.appendChild(button(w["conflict.apply"], "apply", function () { s.choice = nl(area.value); write(); }));
      acts.appendChild(button(w["conflict.keep_mine"], "keep-mine", function () { confirm.hidden = false; }));
      acts.appendChild(button(w["conflict.keep_theirs"], "keep-theirs", function () { s.choice = s.theirs; write(); }));
      acts.appendChild(button(w["conflict.keep_both"], "keep-both", function () { s.choice = nl(s.mine) + s.theirs; write(); }));
      acts.appendChild(button(w["conflict.edit"], "edit-hand", function () { hand.hidden = false; area.focus(); }));
      c.appendChild(acts);
      c.appendChild(confirm);
      c.appendChild(hand);
      return c;
    }

    function side(title, body, cls) {
      var d = el("div", "conflict-side " + cls);
      d.appendChild(el("h4", "", title));
      d.appendChild(el("pre", "conflict-text", body));
      return d;
    }

    function draw() {
      var regions = segs.filter(function (s) { return s.mine !== undefined; });
      var left = regions.filter(function (s) { return s.choice === undefined; }).length;
      box.replaceChildren();
      box.appendChild(el("p", "", w["conflict.intro"]));
      box.appendChild(el("p", "hint", w["conflict.kept"]));
      var status = el("p", left ? "conflict-left" : "conflict-done", left ? fmt(w["conflict.left"], left) : w["conflict.all_resolved"]);
      status.setAttribute("role", "status");
      box.appendChild(status);
      regions.forEach(function (s, i) { box.appendChild(card(s, i + 1, regions.length)); });
    }

    // Typing in the text itself settles nothing by itself: the text is
    // read again, passages still between markers stay on the screen.
    text.addEventListener("input", function () {
      if (applying) { return; }
      var again = parse(text.value);
      if (again) { segs = again; draw(); }
      store(data, text.value);
    });
    form.addEventListener("submit", function () { store(data, text.value, true); });
    store(data, text.value);
    draw();
  }

  // restore offers, on a fresh editor of a page, the text this browser
  // kept from a conflict there and never saved.
  function restore(form) {
    var path = form.dataset.path;
    var kept = stored(path);
    var text = form.querySelector("#markdown");
    if (!kept || !kept.data || !text || kept.text === text.value) { return; }
    var box = el("div", "conflict-restore");
    box.setAttribute("role", "status");
    box.appendChild(el("p", "", form.dataset.conflictRestore));
    box.appendChild(button(form.dataset.conflictRestoreYes, "primary restore-yes", function () {
      form.querySelector("input[name=base_rev]").value = kept.data.base_rev;
      var head = document.createElement("input");
      head.type = "hidden"; head.name = "head_rev"; head.value = kept.data.head_rev;
      form.appendChild(head);
      text.value = kept.text;
      text.dispatchEvent(new Event("input", { bubbles: true }));
      box.remove();
      screen(form, kept.data);
    }));
    box.appendChild(button(form.dataset.conflictRestoreNo, "restore-no", function () { forget(path); box.remove(); }));
    form.parentNode.insertBefore(box, form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("editor");
    var data = document.getElementById("conflict-data");
    if (form && data && form.querySelector("input[name=head_rev]")) {
      try { screen(form, JSON.parse(data.textContent)); } catch (e) { /* the markers remain */ }
      return;
    }
    if (form) { restore(form); return; }
    // The page shown with a notice right after the kept text was sent: a
    // refused save comes back to the editor, so that save went through.
    var m = location.pathname.match(/^\/wiki\/(.+)$/);
    var kept = m && stored(decodeURIComponent(m[1]));
    if (kept && kept.pending && document.querySelector(".flash")) { forget(decodeURIComponent(m[1])); }
  });
})();
