// Pratu progressive enhancement: every page works without this file.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers announce the problem first.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }

  // Warn before the idle timeout ends the session, and let the person stay signed in.
  function watchSession() {
    var body = document.body;
    var expiresAt = Number(body.getAttribute("data-session-expires-at"));
    var warningSeconds = Number(body.getAttribute("data-session-warning-seconds"));
    var warning = document.getElementById("session-warning");
    if (!expiresAt || !warning) return;
    var form = warning.querySelector("form");
    function schedule() {
      var msUntilWarning = (expiresAt - warningSeconds) * 1000 - Date.now();
      window.setTimeout(function () {
        warning.hidden = false;
        var button = warning.querySelector("button");
        if (button) button.focus();
      }, Math.max(0, msUntilWarning));
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (json) {
        if (json && json.expires_at) {
          expiresAt = json.expires_at;
          warning.hidden = true;
          schedule();
        }
      });
    });
    schedule();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    watchSession();
  });
})();
