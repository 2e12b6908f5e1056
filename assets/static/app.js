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
    if (!text) { return; }
    // After a refused save the text on screen is not saved yet: leaving
    // must warn even before the next keystroke.
    var initial = form.hasAttribute("data-unsaved") ? null : text.value;
    var saving = false;
    var seq = 0;

    function refresh() {
      var mine = ++seq;
      var body = new URLSearchParams();
      body.set("path", form.dataset.path);
      body.set("markdown", text.value);
      // Only the preview's own answers are shown: 200, or the short
      // message of a 400/413. Anything else (an expired session sends the
      // login page) becomes a plain note; the text is never touched.
      fetch("/preview", { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) {
          if (r.redirected || (!r.ok && r.status !== 400 && r.status !== 413)) { throw new Error("preview " + r.status); }
          return r.text();
        })
        .then(function (html) {
          if (mine === seq) { preview.innerHTML = html; }
        })
        .catch(function () {
          if (mine !== seq) { return; }
          var p = document.createElement("p");
          p.className = "error";
          p.textContent = form.dataset.previewFailed || "";
          preview.replaceChildren(p);
        });
    }
    if (preview) {
      text.addEventListener("input", debounce(refresh, 250));
      refresh();
    }

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
    if (!title || !ns || !out) { return; }
    function refresh() {
      var q = new URLSearchParams({ ns: ns.value, title: title.value });
      fetch("/canonical?" + q.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) { out.textContent = j.path || j.message || ""; showExisting(j); })
        .catch(function () {});
    }
    // A page that already has the title: say so and link to it.
    function showExisting(j) {
      var box = document.getElementById("new-exists");
      var list = document.getElementById("new-exists-list");
      var text = document.getElementById("new-exists-text");
      if (!box || !list || !text) { return; }
      var pages = j.existing || [];
      list.textContent = "";
      pages.forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        var code = document.createElement("code");
        a.href = "/wiki/" + p.path;
        a.textContent = p.title;
        code.textContent = p.path;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(code);
        list.appendChild(li);
      });
      text.textContent = j.warning || "";
      box.hidden = pages.length === 0;
    }
    title.addEventListener("input", debounce(refresh, 200));
    ns.addEventListener("change", refresh);
    if (title.value) { refresh(); }
  }

  // suggester is the small listbox of page titles shared by the header's
  // search box and the editor's link picker. The text field keeps the
  // focus and points at the active option with aria-activedescendant; a
  // status line says how many titles came. onChoose gets {path, title}.
  var suggesters = 0;
  function suggester(field, anchor, onChoose) {
    var id = "suggest-" + (++suggesters);
    var list = document.createElement("ul");
    var status = document.createElement("span");
    var pages = [], active = -1, seq = 0, timer, used = "";
    list.id = id;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", field.dataset.suggestLabel || "");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    anchor.appendChild(list);
    anchor.appendChild(status);
    field.setAttribute("aria-controls", id);
    field.setAttribute("aria-autocomplete", "list");
    var combo = field.getAttribute("role") === "combobox";

    function close() {
      clearTimeout(timer);
      seq++; // an answer still on its way must not reopen the list
      pages = [];
      active = -1;
      list.textContent = "";
      list.hidden = true;
      field.removeAttribute("aria-activedescendant");
      if (combo) { field.setAttribute("aria-expanded", "false"); }
    }
    function select(i) {
      active = i;
      for (var k = 0; k < list.children.length; k++) {
        list.children[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      field.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({ block: "nearest" });
    }
    function choose(i) {
      var p = pages[i];
      close();
      onChoose(p);
    }
    function option(p, i) {
      var li = document.createElement("li");
      var path = document.createElement("span");
      li.id = id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = p.title;
      path.className = "suggest-path";
      path.textContent = p.path;
      li.appendChild(path);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the focus
      li.addEventListener("click", function () { choose(i); });
      return li;
    }
    // show lists the titles found. The option chosen with the arrows
    // stays chosen when the new list still holds its page: an answer that
    // lands just after an arrow key must not undo it.
    function show(found) {
      var was = active >= 0 ? pages[active].path : null;
      close();
      pages = found;
      status.textContent = (field.dataset.suggestCount || "%d").replace("%d", found.length);
      if (!found.length) { return; }
      found.forEach(function (p, i) { list.appendChild(option(p, i)); });
      list.hidden = false;
      if (combo) { field.setAttribute("aria-expanded", "true"); }
      for (var i = 0; i < found.length; i++) {
        if (found[i].path === was) { select(i); break; }
      }
    }
    function lookup(q) {
      clearTimeout(timer);
      if (!q.trim()) { close(); return; }
      var mine = ++seq; // the list stays up meanwhile: no flicker as one types
      timer = setTimeout(function () {
        // As many as the search page lists (boxSuggestions in
        // ui_search.go): what the box suggests, Enter finds.
        fetch("/api/suggest?limit=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { pages: [] }; })
          .then(function (j) { if (mine === seq) { show(j.pages || []); } })
          .catch(function () {});
      }, 150);
    }
    // key handles a keydown in the field and says whether it used it.
    function key(e) {
      if (list.hidden || e.altKey || e.ctrlKey || e.metaKey) { return false; }
      var n = pages.length;
      if (e.key === "ArrowDown") { select((active + 1) % n); }
      else if (e.key === "ArrowUp") { select(active <= 0 ? n - 1 : active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { choose(active); }
      else { return false; }
      e.preventDefault();
      used = e.key;
      return true;
    }
    // Some keyboards (and test drivers) send the key's keypress on its own:
    // a key used here must not also submit the form or insert a line.
    field.addEventListener("keypress", function (e) {
      if (e.key === used) { e.preventDefault(); }
    });
    field.addEventListener("keyup", function () { used = ""; });
    field.addEventListener("blur", close);
    return { lookup: lookup, key: key, close: close, list: list };
  }

  // The header's search box: suggestions as you type; choosing one opens
  // the page, Enter alone searches (the form works without this script).
  function searchBox(input) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    var s = suggester(input, input.form || input.parentNode, function (p) {
      window.location.href = "/wiki/" + p.path;
    });
    input.addEventListener("input", function () { s.lookup(input.value); });
    input.addEventListener("keydown", s.key);
  }

  // linkAt returns the wiki link being typed before the caret: "[[" on the
  // same line, not closed yet, and what was typed after it.
  function linkAt(text, caret) {
    if (caret < 2) { return null; }
    var start = text.lastIndexOf("[[", caret - 2);
    if (start < 0) { return null; }
    var typed = text.slice(start + 2, caret);
    if (/[[\]|\n]/.test(typed) || typed.length > 100) { return null; }
    return { start: start, typed: typed };
  }

  // caretTop measures how far below the textarea's top the caret's line
  // ends, on a hidden copy laid out like it.
  function caretTop(text, pos) {
    var m = document.createElement("div");
    var mark = document.createElement("span");
    var cs = window.getComputedStyle(text);
    ["font", "lineHeight", "letterSpacing", "padding", "border", "boxSizing", "tabSize"].forEach(function (p) { m.style[p] = cs[p]; });
    m.className = "caret-mirror";
    m.style.width = text.offsetWidth + "px";
    m.textContent = text.value.slice(0, pos);
    mark.textContent = "\u200b";
    m.appendChild(mark);
    document.body.appendChild(m);
    var top = mark.offsetTop + mark.offsetHeight - text.scrollTop;
    document.body.removeChild(m);
    return Math.max(0, Math.min(top, text.clientHeight));
  }

  // The editor's link picker: after "[[", titles as you type; choosing
  // one writes [[path|Title]] (or [[path]] when the title cannot be a
  // label). Without this script the user types the link by hand.
  function linkPicker(text) {
    var at = null;
    var pane = text.parentNode;
    pane.classList.add("picker-anchor");
    var hint = document.getElementById("picker-hint");
    if (hint) {
      hint.hidden = false;
      text.setAttribute("aria-describedby", hint.id);
    }
    var s = suggester(text, pane, function (p) {
      var link = /[\]|]/.test(p.title) ? "[[" + p.path + "]]" : "[[" + p.path + "|" + p.title + "]]";
      var end = at.start + 2 + at.typed.length;
      if (text.value.slice(end, end + 2) === "]]") { end += 2; }
      text.setRangeText(link, at.start, end, "end");
      text.focus();
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
    function check() {
      at = text.selectionStart === text.selectionEnd ? linkAt(text.value, text.selectionStart) : null;
      var words = at ? at.typed.slice(at.typed.lastIndexOf("/") + 1).replace(/-/g, " ") : "";
      if (!words.trim()) { s.close(); return; }
      s.lookup(words);
      s.list.style.top = (text.offsetTop + caretTop(text, text.selectionStart)) + "px";
    }
    text.addEventListener("input", check);
    text.addEventListener("click", check);
    text.addEventListener("keydown", s.key);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var f = document.getElementById("editor");
    if (f) { editor(f); }
    var n = document.getElementById("new-form");
    if (n) { newPage(n); }
    var q = document.getElementById("site-search");
    if (q) { searchBox(q); }
    var md = document.querySelector("textarea[data-link-picker]");
    if (md) { linkPicker(md); }
  });
})();
