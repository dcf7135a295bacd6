/* What every page script shares, loaded by base.html before them: JSON posts that carry the CSRF
   token from the page's <meta name="csrf-token">, and starting where the list of problems is
   after a form comes back with some. Progressive enhancement: pages work without any of it. */
(function () {
  "use strict";

  var tokenMeta = document.querySelector('meta[name="csrf-token"]');

  window.Cohort = {
    /* True when this browser and page can send JSON posts (fetch, and a CSRF token). */
    canPostJSON: function () {
      return Boolean(tokenMeta && window.fetch);
    },

    /* POST `payload` (an object, or JSON already made) to `url`; resolves to the Response.
       `signal` (optional) is an AbortController's, to cancel a request overtaken by another. */
    postJSON: function (url, payload, signal) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": tokenMeta.getAttribute("content"),
        },
        body: typeof payload === "string" ? payload : JSON.stringify(payload),
        signal: signal,
      });
    },

    /* After a problem, start where the list of problems is. */
    focusErrorSummary: function () {
      var summary = document.getElementById("error-summary");
      if (summary) {
        summary.focus();
      }
    },
  };
})();
