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
