// clubwiki — the editor's form of the page type's fields, kept in step with
// the YAML front matter both ways. A change in the form rewrites the one
// line of its field, as wiki/metaedit.go does on the server (the same
// text); a change of the YAML refills the form. Without this script the
// server applies the form (wiki/web/ui_metaform.go).
"use strict";

(function () {
  var form = document.getElementById("editor");
  var mf = document.getElementById("metaform");
  var text = document.getElementById("markdown");
  if (!form || !mf || !text) { return; }

  // --- Writing, as wiki.YAMLScalar, FieldLine and SetFrontMatterLine. ---

  var reserved = { "true": 1, "false": 1, "yes": 1, "no": 1, "on": 1, "off": 1, "y": 1, "n": 1, "null": 1, "~": 1 };

  function plainSafe(s) {
    return s !== "" && /^\p{L}/u.test(s) && s.trim() === s && !reserved[s.toLowerCase()] &&
      /^[\p{L}\p{Nd}\p{M} \-_.'/()+]*$/u.test(s);
  }

  function scalar(s) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{1,15}$/.test(s) || plainSafe(s)) { return s; }
    return JSON.stringify(s);
  }

  function fieldLine(kind, key, vals, levels) {
    var items = [];
    if (kind === "choix-multiple" || kind === "liste") {
      vals.forEach(function (v) { v = v.trim(); if (v) { items.push(scalar(v)); } });
      return items.length ? key + ": [" + items.join(", ") + "]" : "";
    }
    if (kind === "priorites") {
      levels.forEach(function (kl) { if (kl[1].trim()) { items.push(scalar(kl[0]) + ": " + scalar(kl[1].trim())); } });
      return items.length ? key + ": {" + items.join(", ") + "}" : "";
    }
    var v = (vals[0] || "").trim();
    return v ? key + ": " + scalar(v) : "";
  }

  function splitLines(s) { return s.match(/[^\n]*\n|[^\n]+$/g) || []; }
  function bare(l) { return l.replace(/[\r\n]+$/, ""); }
  function isClose(l) { var t = bare(l).replace(/[ \t]+$/, ""); return t === "---" || t === "..."; }
  function fmEnd(lines) {
    for (var i = 1; i < lines.length; i++) { if (isClose(lines[i])) { return i; } }
    return -1;
  }
  function hasBlock(lines) { return lines.length > 0 && bare(lines[0]).replace(/[ \t]+$/, "") === "---" && fmEnd(lines) > 0; }
  function isCont(l) { var t = bare(l); return t !== "" && (t[0] === " " || t[0] === "\t" || t.indexOf("- ") === 0 || t === "-"); }
  function keyOf(l) {
    var t = bare(l), i = t.indexOf(":");
    if (i < 0 || t[0] === " " || t[0] === "\t") { return null; }
    var k = t.slice(0, i).trim();
    if (k.length >= 2 && (k[0] === '"' || k[0] === "'") && k[k.length - 1] === k[0]) { k = k.slice(1, -1); }
    return k;
  }

  function setLine(src, keys, line) {
    var lines = splitLines(src);
    if (!hasBlock(lines)) { return line ? "---\n" + line + "\n---\n" + src : src; }
    var end = fmEnd(lines);
    for (var i = 1; i < end; i++) {
      if (keys.indexOf(keyOf(lines[i])) < 0) { continue; }
      var j = i + 1;
      while (j < end && isCont(lines[j])) { j++; }
      return lines.slice(0, i).concat(line ? [line + "\n"] : [], lines.slice(j)).join("");
    }
    return line ? lines.slice(0, end).concat([line + "\n"], lines.slice(end)).join("") : src;
  }

  // --- Reading the front matter (the simple YAML a front matter has). ---

  function splitFlow(s) {
    var out = [], cur = "", q = "";
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (q) { if (c === q && s[i - 1] !== "\\") { q = ""; } cur += c; continue; }
      if (c === '"' || c === "'") { q = c; cur += c; continue; }
      if (c === ",") { out.push(cur); cur = ""; continue; }
      cur += c;
    }
    if (cur.trim()) { out.push(cur); }
    return out;
  }
  function readScalar(s) {
    s = s.trim();
    if (s[0] === '"') { try { return JSON.parse(s); } catch (e) { return s; } }
    if (s[0] === "'") { return s.slice(1, -1).replace(/''/g, "'"); }
    return s === "~" || s === "null" ? "" : s;
  }
  function readPair(s) {
    var i = s.indexOf(":");
    return i < 0 ? [readScalar(s), ""] : [readScalar(s.slice(0, i)), readScalar(s.slice(i + 1))];
  }
  function readValue(rest, cont) {
    if (rest[0] !== '"' && rest[0] !== "'") { rest = rest.replace(/\s+#.*$/, ""); }
    rest = rest.trim();
    if (rest === "" && cont.length) {
      if (/^\s*-/.test(cont[0])) { return cont.map(function (l) { return readScalar(l.trim().replace(/^-\s*/, "")); }); }
      var m = {};
      cont.forEach(function (l) { var p = readPair(l.trim()); m[p[0]] = p[1]; });
      return m;
    }
    if (rest[0] === "[") { return splitFlow(rest.slice(1, rest.lastIndexOf("]"))).map(readScalar); }
    if (rest[0] === "{") {
      var o = {};
      splitFlow(rest.slice(1, rest.lastIndexOf("}"))).forEach(function (p) { p = readPair(p); o[p[0]] = p[1]; });
      return o;
    }
    return readScalar(rest);
  }
  function readFrontMatter(src) {
    var lines = splitLines(src), out = {};
    if (!hasBlock(lines)) { return out; }
    var end = fmEnd(lines);
    for (var i = 1; i < end; i++) {
      var k = keyOf(lines[i]);
      if (k === null) { continue; }
      var j = i + 1, cont = [];
      while (j < end && isCont(lines[j])) { cont.push(bare(lines[j])); j++; }
      out[k] = readValue(bare(lines[i]).slice(bare(lines[i]).indexOf(":") + 1), cont);
    }
    return out;
  }

  // fold compares values as the server does: accents, case and
  // punctuation do not count.
  function fold(s) {
    return String(s).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/ß/g, "ss").replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^a-z0-9/]+/g, "-").replace(/^-+|-+$/g, "");
  }

  // --- The form. ---

  var typeSelect = document.getElementById("meta-type");
  mf.querySelector("input[name='metaform-js']").value = "1";
  var writing = false;

  function current() { return mf.querySelector(".meta-fields[data-type='" + typeSelect.value + "']"); }

  function show(name) {
    mf.querySelectorAll(".meta-fields").forEach(function (d) {
      var on = d.dataset.type === name;
      d.hidden = !on;
      d.querySelector("fieldset").disabled = !on;
    });
  }

  function keysOf(field) { return field.dataset.keys.split(" "); }
  function keyIn(field, meta) {
    var ks = keysOf(field);
    for (var i = 0; i < ks.length; i++) { if (Object.prototype.hasOwnProperty.call(meta, ks[i])) { return ks[i]; } }
    return ks[0];
  }

  // control is a field's input or select (not its hidden companions).
  function control(field) { return field.querySelector("input[name^='meta.'], select[name^='meta.']"); }

  function valuesOf(field) {
    var kind = field.dataset.kind;
    if (kind === "choix-multiple") {
      return Array.prototype.filter.call(field.querySelectorAll("input[type=checkbox]"), function (c) { return c.checked; })
        .map(function (c) { return c.value; });
    }
    if (kind === "liste") { return control(field).value.split(","); }
    if (kind === "priorites") { return []; }
    return [control(field).value];
  }
  function levelsOf(field) {
    return Array.prototype.map.call(field.querySelectorAll("select[data-key]"), function (s) { return [s.dataset.key, s.value]; });
  }

  function write(src) {
    if (src === text.value) { return; }
    writing = true;
    text.value = src;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    writing = false;
  }

  function fieldChanged(field) {
    var meta = readFrontMatter(text.value);
    var line = fieldLine(field.dataset.kind, keyIn(field, meta), valuesOf(field), levelsOf(field));
    write(setLine(text.value, keysOf(field), line));
  }

  typeSelect.addEventListener("change", function () {
    show(typeSelect.value);
    write(setLine(text.value, ["type"], typeSelect.value ? "type: " + scalar(typeSelect.value) : ""));
    fill();
  });
  mf.addEventListener("change", function (e) {
    var field = e.target.closest(".meta-field");
    if (field) { fieldChanged(field); }
  });
  mf.addEventListener("input", function (e) {
    var field = e.target.closest(".meta-field");
    if (field && e.target.tagName === "INPUT" && e.target.type !== "checkbox") { fieldChanged(field); }
  });

  function asList(v) { return Array.isArray(v) ? v : (v === "" || v == null || typeof v === "object" ? [] : [v]); }

  function fillField(field, v) {
    var kind = field.dataset.kind, active = document.activeElement;
    if (field.contains(active) && kind !== "choix-multiple") { return; } // the member is typing there
    if (kind === "choix-multiple") {
      var want = asList(v).map(fold);
      field.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = want.indexOf(fold(c.value)) >= 0; });
    } else if (kind === "priorites") {
      var m = v && typeof v === "object" && !Array.isArray(v) ? v : {};
      field.querySelectorAll("select[data-key]").forEach(function (s) {
        var lv = "";
        Object.keys(m).forEach(function (k) { if (fold(k) === fold(s.dataset.key)) { lv = m[k]; } });
        selectFolded(s, lv);
      });
    } else if (kind === "choix") {
      selectFolded(control(field), asList(v)[0] || "");
    } else {
      control(field).value = kind === "liste" ? asList(v).join(", ") : (asList(v)[0] || "");
    }
  }
  function selectFolded(sel, v) {
    var val = "";
    Array.prototype.forEach.call(sel.options, function (o) { if (o.value && fold(o.value) === fold(v)) { val = o.value; } });
    sel.value = val;
  }

  // fill sets the form from the front matter.
  function fill() {
    var meta = readFrontMatter(text.value);
    var t = typeof meta.type === "string" ? meta.type : "";
    var known = "";
    Array.prototype.forEach.call(typeSelect.options, function (o) { if (o.value && fold(o.value) === fold(t)) { known = o.value; } });
    if (known !== typeSelect.value) { typeSelect.value = known; show(known); }
    var cur = current();
    if (!cur) { return; }
    cur.querySelectorAll(".meta-field").forEach(function (field) { fillField(field, meta[keyIn(field, meta)]); });
  }

  var timer;
  text.addEventListener("input", function () {
    if (writing) { return; }
    clearTimeout(timer);
    timer = setTimeout(fill, 150);
  });
  fill();
})();
