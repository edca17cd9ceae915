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
})();
