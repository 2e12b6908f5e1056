// clubwiki — attachments: on a page, « Joindre des fichiers » and drag and
// drop upload to the page's attachments, « Supprimer » deletes one; in the
// editor, a screenshot pasted into the text is uploaded and inserted as
// ![](capture-AAAAMMJJ-HHMMSS.png), files dropped on it or chosen are
// uploaded and linked. Without this script the page lists its attachments
// and nothing is uploaded from the browser.
"use strict";

(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // captureName names a pasted screenshot after the moment it was pasted.
  function captureName(type) {
    var d = new Date();
    var ext = { "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" }[type] || "png";
    return "capture-" + d.getFullYear() + pad(d.getMonth() + 1) + pad(d.getDate()) + "-" +
      pad(d.getHours()) + pad(d.getMinutes()) + pad(d.getSeconds()) + "." + ext;
  }

  // safeName keeps a chosen file's name within what the wiki accepts.
  function safeName(name) {
    var s = name.normalize("NFC").replace(/[^\p{L}\p{N} ._,()+-]/gu, "-").replace(/\.\.+/g, ".").replace(/^[. ]+|[ ]+$/g, "");
    return s || "fichier";
  }

  // upload sends file as name to the box's upload URL; done gets the
  // answer, or the box shows why it failed.
  function upload(box, file, name, done) {
    var status = box.querySelector(".file-status");
    if (status) { status.textContent = box.dataset.uploading.replace("%s", name); }
    fetch(box.dataset.upload + "/" + encodeURIComponent(name), {
      method: "PUT", body: file, credentials: "same-origin",
      headers: { "Content-Type": "application/octet-stream" }
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) { throw r.body; }
      if (status) { status.textContent = ""; }
      done(r.body);
    }).catch(function (body) {
      var reason = body && body.error && body.error.reason;
      var why = { file_too_large: box.dataset.tooLarge, file_name_invalid: box.dataset.badName,
        file_type_mismatch: box.dataset.typeMismatch }[reason] || "";
      if (status) { status.textContent = name + " : " + box.dataset.failed + " " + why; }
    });
  }

  function uploadAll(box, files, each) {
    Array.prototype.forEach.call(files, function (f) {
      var name = safeName(f.name);
      upload(box, f, name, function (answer) { each(answer, f); });
    });
  }

  // The page: button, drop anywhere on the section or the content, delete.
  function page(box) {
    if (!box.dataset.upload) { return; }
    var reload = function () { window.location.reload(); };
    box.querySelector(".file-upload").hidden = false;
    box.querySelector("#file-input").addEventListener("change", function (e) {
      uploadAll(box, e.target.files, reload);
    });
    [box, document.querySelector("article.page")].forEach(function (zone) {
      if (!zone) { return; }
      zone.addEventListener("dragover", function (e) { e.preventDefault(); box.classList.add("dropping"); });
      zone.addEventListener("dragleave", function () { box.classList.remove("dropping"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        box.classList.remove("dropping");
        if (e.dataTransfer && e.dataTransfer.files.length) { uploadAll(box, e.dataTransfer.files, reload); }
      });
    });
    box.querySelectorAll(".file-delete").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        if (!window.confirm(box.dataset.confirm)) { return; }
        fetch(box.dataset.upload + "/" + encodeURIComponent(b.dataset.name), { method: "DELETE", credentials: "same-origin" })
          .then(function (res) { if (res.ok) { reload(); } else { box.querySelector(".file-status").textContent = box.dataset.failed; } });
      });
    });
  }

  // insertAt puts s at the text's caret, through the browser's editing so
  // that Ctrl+Z undoes it, and tells the editor's other scripts.
  function insertAt(text, s) {
    text.focus();
    var done = false;
    try { done = document.execCommand("insertText", false, s); } catch (e) { done = false; }
    if (!done) {
      text.setRangeText(s, text.selectionStart, text.selectionEnd, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // markdownFor is what the editor inserts for an uploaded file: an image
  // by its bare name (the page shows its own attachments), another file as
  // a link to it.
  function markdownFor(box, answer) {
    if (/^image\/(png|jpeg|gif|webp)$/.test(answer.type)) { return "![](" + encodeURI(answer.name) + ")"; }
    return "[" + answer.name + "](" + box.dataset.upload.replace(/^\/api\/files\//, "/files/") + "/" + encodeURIComponent(answer.name) + ")";
  }

  // The editor: paste a screenshot, drop files, or choose them.
  function editor(box, text) {
    box.hidden = false;
    var put = function (answer) { insertAt(text, markdownFor(box, answer)); };
    text.addEventListener("paste", function (e) {
      var items = (e.clipboardData && e.clipboardData.items) || [];
      for (var i = 0; i < items.length; i++) {
        if (items[i].kind === "file" && /^image\//.test(items[i].type)) {
          var f = items[i].getAsFile();
          if (!f) { continue; }
          e.preventDefault();
          upload(box, f, captureName(f.type), put);
          return;
        }
      }
    });
    text.addEventListener("dragover", function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) { e.preventDefault(); }
    });
    text.addEventListener("drop", function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
      e.preventDefault();
      uploadAll(box, e.dataTransfer.files, put);
    });
    box.querySelector("#editor-file-input").addEventListener("change", function (e) {
      uploadAll(box, e.target.files, put);
      e.target.value = "";
    });
  }

  var box = document.getElementById("attachments");
  if (box) { page(box); }
  var ebox = document.getElementById("editor-files");
  var text = document.getElementById("markdown");
  if (ebox && text) { editor(ebox, text); }
})();
