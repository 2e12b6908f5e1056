// clubwiki — an editor for people who do not write Markdown every day: a
// formatting toolbar that edits the Markdown, « Voir mes modifications »,
// text and preview as tabs on a phone, and « Modifier » next to each
// section heading of a page. Without this script the editor is a plain
// text area and the whole page is edited.
"use strict";

(function () {
  function api(path) { return path.split("/").map(encodeURIComponent).join("/"); }

  // insert replaces text[from:to] with s, through the browser's editing
  // so that Ctrl+Z undoes it, and selects s[selA:selB].
  function insert(text, from, to, s, selA, selB) {
    text.focus();
    text.setSelectionRange(from, to);
    var done = false;
    try { done = document.execCommand("insertText", false, s); } catch (e) { done = false; }
    if (!done || text.value.slice(from, from + s.length) !== s) {
      text.setRangeText(s, from, to, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
    text.setSelectionRange(from + selA, from + selB);
  }

  // lines returns the start and end of the whole lines the selection covers.
  function lines(text) {
    var v = text.value;
    var a = v.lastIndexOf("\n", text.selectionStart - 1) + 1;
    var e = text.selectionEnd;
    if (e > text.selectionStart && v[e - 1] === "\n") { e--; }
    var b = v.indexOf("\n", e);
    return [a, b < 0 ? v.length : b];
  }

  function prefixLines(text, make) {
    var r = lines(text);
    var out = text.value.slice(r[0], r[1]).split("\n").map(function (l, i) {
      return make(l.replace(/^(#{1,6} |> |[-*+] |\d+[.)] )/, ""), i);
    }).join("\n");
    insert(text, r[0], r[1], out, 0, out.length);
  }

  function wrap(text, mark, sample) {
    var a = text.selectionStart, b = text.selectionEnd;
    var sel = text.value.slice(a, b) || sample;
    insert(text, a, b, mark + sel + mark, mark.length, mark.length + sel.length);
  }

  function action(text, what, t) {
    var a = text.selectionStart, b = text.selectionEnd, sel = text.value.slice(a, b);
    switch (what) {
      case "h2": prefixLines(text, function (l) { return "## " + l; }); break;
      case "h3": prefixLines(text, function (l) { return "### " + l; }); break;
      case "bold": wrap(text, "**", t.sample); break;
      case "italic": wrap(text, "_", t.sample); break;
      case "ul": prefixLines(text, function (l) { return "- " + l; }); break;
      case "ol": prefixLines(text, function (l, i) { return (i + 1) + ". " + l; }); break;
      case "quote": prefixLines(text, function (l) { return "> " + l; }); break;
      case "link":
        sel = sel || t.sample;
        insert(text, a, b, "[" + sel + "](https://)", sel.length + 3, sel.length + 11);
        break;
      case "table":
        var c = t.column || "Colonne";
        var before = a > 0 && text.value[a - 1] !== "\n" ? "\n\n" : "";
        var tbl = before + "| " + c + " 1 | " + c + " 2 |\n| --- | --- |\n|  |  |\n";
        insert(text, a, b, tbl, before.length + 2, before.length + 2 + c.length + 2);
        break;
    }
  }

  function toolbar(form, t) {
    var text = form.querySelector("#markdown");
    var bar = form.querySelector(".toolbar");
    if (!text || !bar) { return; }
    bar.hidden = false;
    bar.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the selection
    bar.addEventListener("click", function (e) {
      var btn = e.target.closest("button[data-md]");
      if (btn) { action(text, btn.getAttribute("data-md"), t); }
    });
  }

  // tabs shows text and preview one at a time on a narrow screen.
  function tabs(form) {
    var list = form.querySelector(".edit-tabs");
    if (!list) { return; }
    list.hidden = false;
    form.classList.add("tabbed");
    var tt = document.getElementById("tab-text"), tp = document.getElementById("tab-preview");
    function pick(preview) {
      form.classList.toggle("show-preview", preview);
      tt.setAttribute("aria-selected", String(!preview));
      tp.setAttribute("aria-selected", String(preview));
    }
    tt.addEventListener("click", function () { pick(false); });
    tp.addEventListener("click", function () { pick(true); });
  }

  // changes shows, in place of the preview, the word diff of the text
  // against the revision being edited: what saving will change.
  function changes(form, t) {
    var btn = document.getElementById("show-changes");
    var preview = document.getElementById("preview");
    var text = form.querySelector("#markdown");
    var base = form.querySelector("input[name=base_rev]");
    var sec = form.querySelector("input[name=section]");
    if (!btn || !preview || !text || !base) { return; }
    btn.hidden = false;
    var box = document.createElement("div");
    box.id = "changes";
    box.className = "my-changes word-diff";
    box.hidden = true;
    preview.parentNode.appendChild(box);
    function back() {
      box.hidden = true;
      preview.hidden = false;
      btn.textContent = t.showChanges;
    }
    btn.addEventListener("click", function () {
      if (!box.hidden) { back(); return; }
      form.classList.add("show-preview");
      var body = { markdown: text.value, base_rev: +base.value };
      if (sec) { body.section = +sec.value; }
      fetch("/api/diff/" + api(form.dataset.path), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      }).then(function (r) {
        if (r.redirected || !r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      }).then(function (j) {
        box.textContent = "";
        var h = document.createElement("h3");
        h.textContent = +base.value ? (t.changesTitle || "").replace("%d", j.from) : t.changesNew;
        box.appendChild(h);
        var pre = document.createElement("div");
        pre.className = "diff-text";
        var any = false;
        (j.words || []).forEach(function (s) {
          var el = document.createElement(s.op === "+" ? "ins" : s.op === "-" ? "del" : "span");
          el.textContent = s.text;
          any = any || s.op !== "=";
          pre.appendChild(el);
        });
        box.appendChild(any ? pre : document.createTextNode(t.noChanges));
      }).catch(function () {
        box.textContent = t.changesFailed;
      }).then(function () {
        box.hidden = false;
        preview.hidden = true;
        btn.textContent = t.hideChanges;
      });
    });
    text.addEventListener("input", function () { if (!box.hidden) { back(); } });
  }

  // sectionLinks puts « Modifier » after each section heading of a page
  // the reader may edit: the headings of the body's top level, numbered
  // as the server numbers the sections of the Markdown.
  function sectionLinks(content) {
    var n = +content.getAttribute("data-edit-first") || 1;
    Array.prototype.forEach.call(content.children, function (h) {
      if (!/^H[1-6]$/.test(h.tagName)) { return; }
      var a = document.createElement("a");
      a.className = "section-edit";
      a.href = content.getAttribute("data-edit") + "?section=" + n;
      a.textContent = content.getAttribute("data-edit-text");
      a.setAttribute("aria-label", (content.getAttribute("data-edit-label") || "").replace("%s", h.textContent));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(a);
      n++;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var f = document.getElementById("editor");
    var t = (document.getElementById("editor-texts") || { dataset: {} }).dataset;
    if (f) {
      toolbar(f, t);
      tabs(f);
      changes(f, t);
    }
    var c = document.querySelector(".content[data-edit]");
    if (c) { sectionLinks(c); }
  });
})();
