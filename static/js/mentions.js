/* Drug mentions on the compose and edit pages: as the member writes, names from our alias table
   found in the title and text are offered as tags ("Add azathioprine"), and names that mean more
   than one drug ask which one. Nothing is added without a click.
   Progressive enhancement: without this file, Preview lists the same names as checkboxes.
   No innerHTML: everything from the server goes in as text. */
(function () {
  "use strict";

  var form = document.getElementById("compose-form");
  var box = document.getElementById("drug-mentions");
  if (!form || !box || !Cohort.canPostJSON()) {
    return;
  }
  var url = form.getAttribute("data-mentions-url");
  var title = form.elements.title;
  var body = form.elements.body;
  var tags = form.elements.tags;
  if (!url || !body || !tags) {
    return;
  }

  var WAIT_MS = 700; /* after the member pauses typing */
  var timer = null;
  var pending = null;
  var lastSent = "";

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function addTag(name) {
    var kept = tags.value.split(",").map(function (part) {
      return part.trim();
    }).filter(Boolean);
    var lower = kept.map(function (part) {
      return part.toLowerCase();
    });
    if (lower.indexOf(name.toLowerCase()) === -1) {
      kept.push(name);
    }
    tags.value = kept.join(", ") + ", ";
    refresh(true);
    var status = document.getElementById("tag-suggestions-status");
    if (status) {
      status.textContent = name + " added to your tags.";
    }
  }

  function button(tag, label) {
    var b = el("button", "suggestion");
    b.type = "button";
    b.appendChild(el("span", "suggestion-name", label || "Add " + tag.name));
    b.appendChild(document.createTextNode(" "));
    b.appendChild(el("span", "suggestion-detail", tag.kind_label));
    b.addEventListener("click", function () {
      addTag(tag.name);
      var next = box.querySelector("button");
      (next || tags).focus();
    });
    return b;
  }

  function render(data) {
    var found = (data.tags || []).length + (data.ambiguous || []).length;
    box.textContent = "";
    if (!found) {
      return;
    }
    var section = el("section", "mentions-box");
    section.setAttribute("aria-labelledby", "mentions-heading");
    var heading = el("p", "mentions-heading", "We noticed these drugs in your text");
    heading.id = "mentions-heading";
    section.appendChild(heading);
    section.appendChild(el("p", "hint", "Add the ones your post is about. Nothing is added unless you choose it."));
    if ((data.tags || []).length) {
      var list = el("ul", "suggestion-list");
      data.tags.forEach(function (tag) {
        var item = el("li");
        var label = "Add " + tag.name + (tag.written ? " (you wrote “" + tag.written + "”)" : "");
        item.appendChild(button(tag, label));
        list.appendChild(item);
      });
      section.appendChild(list);
    }
    (data.ambiguous || []).forEach(function (choice) {
      var group = el("div", "ambiguous-choice");
      group.setAttribute("role", "group");
      var question = el("p", "ambiguous-question", "“" + choice.written + "” can mean more than one drug. Which did you mean?");
      question.id = "ambiguous-" + Math.random().toString(36).slice(2);
      group.setAttribute("aria-labelledby", question.id);
      group.appendChild(question);
      if (choice.note) {
        group.appendChild(el("p", "hint", choice.note));
      }
      var options = el("ul", "suggestion-list");
      choice.candidates.forEach(function (tag) {
        var item = el("li");
        item.appendChild(button(tag, tag.name));
        options.appendChild(item);
      });
      group.appendChild(options);
      section.appendChild(group);
    });
    box.appendChild(section);
  }

  function refresh(now) {
    var text = (title ? title.value : "") + "\n" + body.value;
    var payload = JSON.stringify({ text: text, tags: tags.value });
    if (payload === lastSent && !now) {
      return;
    }
    lastSent = payload;
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    Cohort.postJSON(url, payload, pending.signal)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          render(data);
        }
      })
      .catch(function () {
        /* Aborted or offline: Preview still lists the names. */
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, WAIT_MS);
  }

  [title, body, tags].forEach(function (field) {
    if (field) {
      field.addEventListener("input", later);
    }
  });
  if (body.value.trim() && !box.querySelector("fieldset")) {
    refresh(); /* the page came back with text (a problem to fix, a saved draft) */
  }
})();
