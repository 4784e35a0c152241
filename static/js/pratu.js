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
    function changed(event) {
      // A chosen file goes by resumable upload (see uploads), not with the answers.
      if (event.target.type === "file") return;
      later();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
  }

  // Send a chosen document ahead of the page by resumable upload (tus 1.0, the same API a
  // program uses): when the connection drops, it carries on from the last byte the server
  // holds. Once the file is in the wallet the page is posted to attach it, as Attach does
  // with script off; a file the server refuses says why, beside the question.
  function uploads() {
    var form = document.querySelector("form[data-uploads]");
    if (!form || !window.fetch || !window.Blob) return;
    var endpoint = form.getAttribute("data-uploads");
    var token = form.querySelector("input[name=csrf_token]").value;
    var chunkBytes = 1024 * 1024;
    function headers(extra) {
      var out = { "Tus-Resumable": "1.0.0", "X-CSRF-Token": token, "Accept": "application/json" };
      Object.keys(extra).forEach(function (key) { out[key] = extra[key]; });
      return out;
    }
    function base64(text) {
      var bytes = new TextEncoder().encode(text);
      var binary = "";
      bytes.forEach(function (b) { binary += String.fromCharCode(b); });
      return window.btoa(binary);
    }
    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (all, key) {
        return key in values ? values[key] : all;
      });
    }
    function wait(ms) {
      return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
    }
    function send(input, group, status) {
      var file = input.files && input.files[0];
      if (!file) return;
      var location = null;
      var offset = 0;
      var attempts = 0;
      function say(attribute, values, alert) {
        status.textContent = fill(status.getAttribute(attribute), values);
        if (alert) status.setAttribute("role", "alert"); else status.removeAttribute("role");
      }
      function progress() {
        var percent = file.size ? Math.floor((offset * 100) / file.size) : 100;
        say("data-uploading-text", { name: file.name, percent: percent });
      }
      function refused(response) {
        return response.json().then(function (problem) {
          return problem.detail || problem.title;
        }, function () {
          return String(response.status);
        }).then(function (reason) {
          input.value = "";
          say("data-failed-text", { reason: reason }, true);
        });
      }
      function retry() {
        attempts += 1;
        if (attempts > 8) {
          say("data-failed-text", { reason: status.getAttribute("data-offline-text") }, true);
          return null;
        }
        say("data-resuming-text", {});
        return wait(Math.min(30000, 500 * Math.pow(2, attempts))).then(location ? ask : create);
      }
      function create() {
        return fetch(endpoint, {
          method: "POST",
          credentials: "same-origin",
          headers: headers({
            "Upload-Length": String(file.size),
            "Upload-Metadata": "filename " + base64(file.name) + ",filetype " + base64(file.type || "")
          })
        }).then(function (response) {
          if (response.status !== 201) return refused(response);
          location = response.headers.get("Location");
          return next();
        }, retry);
      }
      // Where the server's copy stops (after a dropped connection or a conflicting offset).
      function ask() {
        return fetch(location, { method: "HEAD", credentials: "same-origin", headers: headers({}) })
          .then(function (response) {
            if (response.status !== 200) return refused(response);
            offset = Number(response.headers.get("Upload-Offset"));
            return next();
          }, retry);
      }
      function next() {
        progress();
        var end = Math.min(offset + chunkBytes, file.size);
        return fetch(location, {
          method: "PATCH",
          credentials: "same-origin",
          headers: headers({
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": String(offset)
          }),
          body: file.slice(offset, end)
        }).then(function (response) {
          if (response.status === 409) return ask();
          if (response.status !== 204) return refused(response);
          attempts = 0;
          offset = Number(response.headers.get("Upload-Offset"));
          var kept = response.headers.get("Upload-Document");
          if (kept) return attach(kept, file.name);
          return next();
        }, retry);
      }
      function attach(id, name) {
        say("data-uploaded-text", { name: name });
        var wallet = group.querySelector("[data-wallet]");
        if (wallet.tagName === "SELECT") wallet.add(new Option(name, id, true, true));
        else wallet.value = id;
        input.value = "";  // in the wallet now: the page need not carry it again
        var button = group.querySelector("[data-attach]");
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      }
      create();
    }
    form.querySelectorAll("input[data-upload]").forEach(function (input) {
      var group = input.closest("[data-document]");
      var status = group.querySelector("[data-upload-status]");
      input.addEventListener("change", function () { send(input, group, status); });
    });
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
    uploads();
    submitOnce();
    printButtons();
  });
})();
