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

  // Send a chosen document ahead of the page by resumable upload: tus 1.0 through tus-js-client
  // (static/vendor/tus-js-client), the same API a program uses. When the connection drops it
  // asks the server where its copy stops and carries on from that byte; offline, it waits for
  // the browser to come back online. Once the file is in the wallet the page is posted to
  // attach it, as Attach does with script off; a file the server refuses says why, beside the
  // question.
  function uploads() {
    var form = document.querySelector("form[data-uploads]");
    if (!form || !window.tus || !window.tus.isSupported) return;
    var endpoint = form.getAttribute("data-uploads");
    var token = form.querySelector("input[name=csrf_token]").value;
    // 0: each file in one request (the fastest); a proxy that limits bodies needs pieces.
    var chunkBytes = Number(form.getAttribute("data-upload-chunk-bytes")) || Infinity;
    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (all, key) {
        return key in values ? values[key] : all;
      });
    }
    function send(input, group, status) {
      var file = input.files && input.files[0];
      if (!file) return;
      var documentId = null;
      function say(attribute, values, alert) {
        status.textContent = fill(status.getAttribute(attribute), values);
        if (alert) status.setAttribute("role", "alert"); else status.removeAttribute("role");
      }
      function attach() {
        say("data-uploaded-text", { name: file.name });
        var wallet = group.querySelector("[data-wallet]");
        if (wallet.tagName === "SELECT") wallet.add(new Option(file.name, documentId, true, true));
        else wallet.value = documentId;
        input.value = "";  // in the wallet now: the page need not carry it again
        var button = group.querySelector("[data-attach]");
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      }
      var upload = new window.tus.Upload(file, {
        endpoint: endpoint,
        chunkSize: chunkBytes,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 30000],
        headers: { "X-CSRF-Token": token, "Accept": "application/json" },
        metadata: { filename: file.name, filetype: file.type || "" },
        // A file's name is the person's: nothing of it is left behind in the browser.
        storeFingerprintForResuming: false,
        onProgress: function (sent, total) {
          var percent = total ? Math.floor((sent * 100) / total) : 100;
          say("data-uploading-text", { name: file.name, percent: percent });
        },
        // The wallet document the finished upload became (on the last PATCH, or on the HEAD
        // that finds the upload finished after that PATCH's answer was lost).
        onAfterResponse: function (request, response) {
          var kept = response.getHeader("Upload-Document");
          if (kept) documentId = kept;
        },
        onShouldRetry: function (error, attempt) {
          var answer = error.originalResponse;
          var code = answer ? answer.getStatus() : 0;
          if (code === 0 || code >= 500 || code === 409 || code === 423 || code === 429) {
            say("data-resuming-text", {});
            return navigator.onLine !== false;
          }
          return false;
        },
        onError: function (error) {
          var answer = error.originalResponse;
          if (!answer || answer.getStatus() === 0) {
            // Out of retries or offline: start again (from where the server stopped) when the
            // browser says it is back online, or in a minute, whichever comes first.
            say("data-failed-text", { reason: status.getAttribute("data-offline-text") }, true);
            var again = function () {
              window.removeEventListener("online", again);
              window.clearTimeout(timer);
              upload.start();
            };
            var timer = window.setTimeout(again, 60000);
            window.addEventListener("online", again);
            return;
          }
          var reason = String(answer.getStatus());
          try {
            var problem = JSON.parse(answer.getBody());
            reason = problem.detail || problem.title || reason;
          } catch (ignored) { /* not a problem document: the status says enough */ }
          input.value = "";
          say("data-failed-text", { reason: reason }, true);
        },
        onSuccess: function () {
          if (documentId) attach();
          else say("data-failed-text", { reason: status.getAttribute("data-offline-text") }, true);
        }
      });
      say("data-uploading-text", { name: file.name, percent: 0 });
      upload.start();
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

  // The counter's search and a barcode scanner, which types like a keyboard: the Bank of
  // Thailand's bill-payment barcode is "|biller", Ref. 1, Ref. 2 and the amount with a carriage
  // return between each, and each would come as Enter and send the form early. While the box
  // holds a barcode ("|" first, or "ฅ", the same key with the keyboard set to Thai) with fewer
  // than its four parts, Enter puts a space; once the last part has come and the scanner has
  // paused, the form is sent. The server reads the parts either way (counter_lookup.cpp).
  function counterScanner() {
    document.querySelectorAll("form[data-counter-find]").forEach(function (form) {
      var input = form.querySelector("input[name=bill]");
      if (!input) return;
      var timer = null;
      function scanned() { return /^\s*[|\u0E05]/.test(input.value); }
      function parts() { return input.value.replace(/^\s+/, "").split(" ").length; }
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || !scanned() || parts() >= 4) return;
        event.preventDefault();
        input.value += " ";
      });
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        if (!scanned() || parts() < 4) return;
        timer = window.setTimeout(function () {
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        }, 300);
      });
      form.addEventListener("submit", function () { window.clearTimeout(timer); });
      // Ready to scan: the cursor in the box, unless a problem needs reading first.
      if (!document.querySelector(".error-summary")) input.focus();
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
    counterScanner();
  });
})();
