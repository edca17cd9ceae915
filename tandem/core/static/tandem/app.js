// Tandem's only script of its own. Everything here is a progressive
// enhancement: every page works without it.
(function () {
  "use strict";

  // Quick exit: replace this page in the history, so "back" does not return.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    window.location.replace(link.href);
  });

  // Copy an invite link to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied") || "Copied";
      });
    }
  });

  // Fill an empty time-zone box with the browser's own zone.
  function detectZones(root) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    root.querySelectorAll("input[data-detect-tz]").forEach(function (input) {
      if (zone && (!input.value || input.value === "UTC") && !input.hasAttribute("data-touched")) input.value = zone;
      input.addEventListener("input", function () { input.setAttribute("data-touched", ""); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    // Only on sign-up: on the profile page the saved zone is the person's choice.
    if (document.querySelector("form[data-signup]")) detectZones(document);
  });

  // A table too wide for the screen scrolls sideways in its .table-wrap: make
  // that box reachable by keyboard (arrow keys scroll it) and name it after
  // the table, so the tab stop says what it is. Wide enough? No tab stop.
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        var caption = wrap.querySelector("caption");
        var section = wrap.closest("[aria-labelledby]");
        var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
        var name = (caption || heading || document.querySelector("h1")).textContent.trim();
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name);
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", scrollableTables);

  // When htmx replaces the part of the page that held the focus (the button
  // just pressed), give the focus to the new part, so keyboard and screen
  // reader users carry on from there instead of from the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var id = event.detail.target && event.detail.target.id;
    var fresh = id && document.getElementById(id);
    if (!fresh) return;
    if (!fresh.hasAttribute("tabindex")) fresh.setAttribute("tabindex", "-1");
    fresh.focus();
  });
  document.addEventListener("htmx:afterSettle", scrollableTables);
  document.addEventListener("toggle", scrollableTables, true); // tables inside <details>
  window.addEventListener("resize", scrollableTables);
})();

// --- Drafts (tandem/drafts) --------------------------------------------------
// Long writing is kept on the server while it is typed: htmx posts each form
// wrapped in [data-draft] (its hx-* attributes do the saving). This block
// only writes how it went into the wrapper's polite status line (and only
// when the words change, so a screen reader hears it once, not at every
// pause), and stops a save that would land after the words were sent.
(function () {
  "use strict";

  function say(wrapper, text) {
    var line = wrapper.querySelector("[data-draft-status]");
    if (line && line.textContent !== text) line.textContent = text;
  }

  // Sending the form: a save still waiting must not bring the draft back.
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll("[data-draft]").forEach(function (wrapper) {
      wrapper.setAttribute("data-draft-sent", "");
      if (window.htmx) window.htmx.trigger(wrapper, "htmx:abort");
    });
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var wrapper = event.detail.elt;
    if (!wrapper.hasAttribute("data-draft")) return;
    if (wrapper.hasAttribute("data-draft-sent") || !wrapper.isConnected) event.preventDefault();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (elt.tagName === "FORM") {
      // The form is still here (not replaced by the answer): typing goes on, and so does saving.
      elt.querySelectorAll("[data-draft-sent]").forEach(function (wrapper) { wrapper.removeAttribute("data-draft-sent"); });
      return;
    }
    if (!elt.hasAttribute("data-draft") || !xhr) return;
    var plain = /^text\/plain/.test(xhr.getResponseHeader("Content-Type") || "");
    if (xhr.status === 204) say(elt, "");
    else if (plain && (event.detail.successful || xhr.status === 400)) say(elt, xhr.responseText);
    else say(elt, elt.getAttribute("data-draft-failed"));
  });
})();
