/* Writing a story or thread: tag suggestions, story-only fields, and autosave.
   Progressive enhancement only: without this file every part of the form still works.
   No innerHTML anywhere: everything from the server goes in as text. */
(function () {
  "use strict";

  var form = document.getElementById("compose-form");
  if (!form) {
    return;
  }

  Cohort.focusErrorSummary();

  /* --- Story-only fields: hidden while "thread" is chosen ---------------------------------- */
  var experience = document.getElementById("experience-fields");
  var kindInputs = form.querySelectorAll('input[name="kind"]');

  function syncKind() {
    var checked = form.querySelector('input[name="kind"]:checked');
    experience.hidden = Boolean(checked) && checked.value === "thread";
  }

  if (experience && kindInputs.length) {
    Array.prototype.forEach.call(kindInputs, function (input) {
      input.addEventListener("change", syncKind);
    });
    syncKind();
  }

  /* --- Tag suggestions ----------------------------------------------------------------------- */
  var tagInput = document.getElementById("tags");
  var box = document.getElementById("tag-suggestions");
  var list = box && box.querySelector("ul");
  var announcer = document.getElementById("tag-suggestions-status");
  var suggestUrl = form.getAttribute("data-suggest-url");
  var timer = null;
  var pending = null;
  var lastQuery = "";

  function parts() {
    return tagInput.value.split(",");
  }

  function fragment() {
    var all = parts();
    return all[all.length - 1].trim();
  }

  function chosen() {
    return parts().slice(0, -1).map(function (name) {
      return name.trim().toLowerCase();
    });
  }

  function announce(text) {
    if (announcer && announcer.textContent !== text) {
      announcer.textContent = text;
    }
  }

  function hide() {
    box.hidden = true;
    list.textContent = "";
  }

  function buttons() {
    return Array.prototype.slice.call(list.querySelectorAll("button"));
  }

  function addTag(name) {
    var kept = parts().slice(0, -1).map(function (part) {
      return part.trim();
    }).filter(Boolean);
    kept.push(name);
    tagInput.value = kept.join(", ") + ", ";
    hide();
    lastQuery = "";
    tagInput.focus();
    tagInput.setSelectionRange(tagInput.value.length, tagInput.value.length);
    announce(name + " added. Type another tag, or carry on below.");
  }

  function onSuggestionKey(event) {
    var all = buttons();
    var index = all.indexOf(event.target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = index + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) {
        tagInput.focus();
      } else if (next < all.length) {
        all[next].focus();
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      hide();
      tagInput.focus();
    }
  }

  function render(results) {
    var taken = chosen();
    results = results.filter(function (tag) {
      return taken.indexOf(tag.name.toLowerCase()) === -1;
    });
    list.textContent = "";
    results.forEach(function (tag) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      var name = document.createElement("span");
      var detail = document.createElement("span");
      button.type = "button";
      button.className = "suggestion";
      name.className = "suggestion-name";
      name.textContent = tag.name;
      detail.className = "suggestion-detail";
      detail.textContent = (tag.alias ? "for “" + tag.alias + "” · " : "") + tag.kind_label;
      button.appendChild(name);
      button.appendChild(document.createTextNode(" "));
      button.appendChild(detail);
      button.addEventListener("click", function () {
        addTag(tag.name);
      });
      button.addEventListener("keydown", onSuggestionKey);
      item.appendChild(button);
      list.appendChild(item);
    });
    box.hidden = results.length === 0;
    if (results.length) {
      announce(
        results.length + (results.length === 1 ? " suggestion" : " suggestions") +
          ". Press the down arrow to reach them."
      );
    } else {
      announce("No tags start with that yet.");
    }
  }

  function lookUp() {
    var query = fragment();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (query.length < 2) {
      hide();
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(suggestUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (fragment() === query) {
          render(data.results || []);
        }
      })
      .catch(function () {
        /* Aborted or offline: typing the name in full still works. */
      });
  }

  if (tagInput && box && list && suggestUrl && window.fetch) {
    tagInput.setAttribute("aria-controls", "tag-suggestions");
    tagInput.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 150);
    });
    tagInput.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !box.hidden) {
        event.preventDefault();
        buttons()[0].focus();
      } else if (event.key === "Escape" && !box.hidden) {
        event.preventDefault();
        hide();
      }
    });
  }

  /* --- Autosave: every ten seconds, only when something changed --------------------------- */
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var draftId = form.querySelector('input[name="draft_id"]');
  var draftStatus = document.getElementById("draft-status");
  var AUTOSAVE_EVERY_MS = 10000;

  function value(name) {
    var field = form.elements[name];
    return field && typeof field.value === "string" ? field.value : "";
  }

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function content() {
    return {
      kind: checked("kind"),
      title: value("title"),
      body: value("body"),
      tags: value("tags"),
      experience_duration: value("experience_duration"),
      experience_status: checked("experience_status"),
    };
  }

  function isEmpty(data) {
    return !(data.title.trim() || data.body.trim() || data.tags.trim());
  }

  function say(text) {
    if (draftStatus.textContent !== text) {
      draftStatus.textContent = text;
    }
  }

  function timeOf(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return "";
    }
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  if (autosaveUrl && draftId && draftStatus && Cohort.canPostJSON()) {
    var lastSaved = JSON.stringify(content());
    var saving = false;
    var stopped = false;

    form.addEventListener("submit", function () {
      stopped = true; /* the buttons take over: never save a draft after publishing */
    });

    var save = function () {
      var data = content();
      var snapshot = JSON.stringify(data);
      if (stopped || saving || snapshot === lastSaved || isEmpty(data)) {
        return;
      }
      if (draftId.value) {
        data.draft_id = draftId.value;
      }
      saving = true;
      Cohort.postJSON(autosaveUrl, data)
        .then(function (response) {
          return response.json().then(
            function (body) {
              return { ok: response.ok, status: response.status, body: body };
            },
            function () {
              return { ok: false, status: response.status, body: {} };
            }
          );
        })
        .then(function (result) {
          if (stopped) {
            return;
          }
          if (result.ok) {
            lastSaved = snapshot;
            draftId.value = String(result.body.id);
            say("Draft saved at " + timeOf(result.body.saved_at) + ".");
          } else {
            if (result.status === 404) {
              draftId.value = ""; /* deleted elsewhere: the next save starts a new draft */
            }
            say(
              (result.body && result.body.error) ||
                "We couldn’t save a draft just now. Your text is still here, and we’ll try again."
            );
          }
        })
        .catch(function () {
          say("We couldn’t save a draft just now. Your text is still here, and we’ll try again.");
        })
        .then(function () {
          saving = false;
        });
    };

    window.setInterval(save, AUTOSAVE_EVERY_MS);
  }
})();
