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
      // The attribute: a field named "action" (the page buttons) shadows form.action.
      fetch(form.getAttribute("action"), {
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

  // Save an application's page as the person types (the server keeps every answer, right or
  // wrong), and say so: "saved at 14:32", or a warning that stays until a save succeeds.
  function autosave() {
    var form = document.querySelector("form[data-autosave]");
    if (!form) return;
    var status = form.querySelector("[data-save-status]");
    var timer = null;
    var pending = false;
    var inFlight = false;
    function save() {
      if (inFlight) { pending = true; return; }
      inFlight = true;
      pending = false;
      var data = new URLSearchParams(new FormData(form));
      data.set("action", "autosave");
      // The attribute: a field named "action" (the page buttons) shadows form.action.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      }).then(function (json) {
        status.textContent = json.saved;
        status.classList.remove("save-status--failed");
        status.removeAttribute("role");
      }).catch(function () {
        status.textContent = status.getAttribute("data-failed-text");
        status.classList.add("save-status--failed");
        status.setAttribute("role", "alert");
      }).then(function () {
        inFlight = false;
        if (pending) save();
      });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1500);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  // A second click of a submit button marked data-submit-once sends nothing more.
  function submitOnce() {
    document.querySelectorAll("form").forEach(function (form) {
      var button = form.querySelector("[data-submit-once]");
      if (!button) return;
      var sent = false;
      form.addEventListener("submit", function (event) {
        if (sent) { event.preventDefault(); return; }
        sent = true;
        button.setAttribute("aria-disabled", "true");
      });
    });
  }

  // The receipt's print button.
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    watchSession();
    autosave();
    submitOnce();
    printButtons();
  });
})();
