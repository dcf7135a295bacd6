/* The article editor: a live preview of the text as readers will see it, and "add another"
   buttons for pins and sources. Progressive enhancement: without this file, the Preview button
   shows the same preview and two empty rows are always there for new pins and sources.
   The preview HTML comes from our own sanitizer (forum/text.py); it is parsed with DOMParser
   and moved in as nodes, never through innerHTML. */
(function () {
  "use strict";

  var form = document.getElementById("article-form");
  if (!form) {
    return;
  }

  Cohort.focusErrorSummary();

  /* --- Live preview ----------------------------------------------------------------------- */
  var url = form.getAttribute("data-preview-url");
  var body = form.elements.body;
  var section = document.getElementById("live-preview");
  var target = document.getElementById("live-preview-body");
  var status = document.getElementById("live-preview-status");
  var WAIT_MS = 500;
  var timer = null;
  var pending = null;

  function show(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var nodes = Array.prototype.slice.call(parsed.body.childNodes);
    target.textContent = "";
    nodes.forEach(function (node) {
      target.appendChild(document.importNode(node, true));
    });
    section.hidden = false;
    status.textContent = "Preview updated.";
  }

  function update() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    Cohort.postJSON(url, { body: body.value }, pending.signal)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && typeof data.html === "string") {
          show(data.html);
        }
      })
      .catch(function () {
        /* Aborted or offline: the Preview button still works. */
      });
  }

  if (url && body && section && target && status && Cohort.canPostJSON() && window.DOMParser) {
    body.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, WAIT_MS);
    });
    if (body.value.trim()) {
      update();
    }
  }

  /* --- "Add another" for pins and sources ------------------------------------------------- */
  function renumber(row, index) {
    Array.prototype.forEach.call(row.querySelectorAll("[name], [id], [for]"), function (node) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = node.getAttribute(attr);
        if (value) {
          node.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-"));
        }
      });
    });
    Array.prototype.forEach.call(row.querySelectorAll("label"), function (label) {
      label.textContent = label.textContent.replace(/\d+/, String(index + 1));
    });
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-rows]"), function (group) {
    var slot = group.querySelector(".add-row-slot");
    if (!slot) {
      return;
    }
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button button-secondary";
    add.textContent = group.getAttribute("data-rows") === "pins" ? "Add another tag page" : "Add another source";
    add.addEventListener("click", function () {
      var rows = group.querySelectorAll("[data-row]");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      renumber(copy, rows.length);
      Array.prototype.forEach.call(copy.querySelectorAll("input"), function (input) {
        input.value = "";
      });
      Array.prototype.forEach.call(copy.querySelectorAll(".field-error"), function (error) {
        error.parentNode.removeChild(error);
      });
      last.parentNode.insertBefore(copy, last.nextSibling);
      copy.querySelector("input").focus();
    });
    slot.appendChild(add);
  });
})();
