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

  // "Rephrase" after a wording hint asked before sending: back to the box,
  // words kept; the plain send button comes back (the words are checked again).
  // Without this script the link jumps to the box and "Send as it is" sends.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-rephrase]");
    if (!link) return;
    var form = link.closest("form");
    var ask = link.closest("[data-ask-first]");
    var box = form && form.querySelector("textarea");
    var send = ask && ask.querySelector("[data-send-label]");
    if (!box || !send) return;
    event.preventDefault();
    send.removeAttribute("name");
    send.removeAttribute("value");
    send.textContent = send.getAttribute("data-send-label");
    ask.replaceWith(send);
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
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

  // Text limits. No field has a maxlength (a browser would cut pasted text
  // short without a word); it has data-limit, and a counter under it appears
  // once the text is near the limit. The server refuses what is over, with a
  // message, and gives every word back. The counter is not a live region (it
  // would talk at every key); a separate polite one speaks only when the text
  // comes near the limit and when it goes over.
  var NEAR = 0.8;
  function limitWords() {
    var t = document.getElementById("limit-words");
    return {
      left: (t && t.getAttribute("data-left")) || "Characters left: {n}",
      over: (t && t.getAttribute("data-over")) || "Over the limit by {n} characters: shorten it to save."
    };
  }
  function counterFor(field) {
    var id = field.id ? field.id + "-count" : "";
    var counter = id && document.getElementById(id);
    if (counter) return counter;
    counter = document.createElement("p");
    counter.className = "limit-count";
    if (id) counter.id = id;
    counter.hidden = true;
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    counter.appendChild(document.createElement("span"));
    counter.appendChild(spoken);
    field.insertAdjacentElement("afterend", counter);
    if (id) {
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) described.push(id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    return counter;
  }
  function showLimit(field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    if (!limit) return;
    var length = field.value.length;
    var counter = counterFor(field);
    var words = limitWords();
    var state = length > limit ? "over" : length >= limit * NEAR ? "near" : "";
    counter.hidden = !state;
    counter.classList.toggle("over", state === "over");
    var text = state === "over" ? words.over.replace("{n}", length - limit) : words.left.replace("{n}", limit - length);
    counter.firstChild.textContent = text;
    if (state !== (field.getAttribute("data-limit-state") || "")) {
      counter.lastChild.textContent = state ? text : "";
      field.setAttribute("data-limit-state", state);
    }
  }
  function watchLimits(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-limit]").forEach(showLimit);
  }
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-limit")) showLimit(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () { watchLimits(document); });
  document.addEventListener("htmx:load", function (event) { watchLimits(event.detail.elt); });

  // Signed out while writing. A page can stay open for hours; meanwhile its
  // session may end (logged out in another tab, ended from another device,
  // timed out) or someone else may sign in on the same phone. Sending the
  // form then would lose the words in a redirect to the log-in page. So
  // before a form is sent, ask who is signed in now (accounts:session): if it
  // is still this person, take the fresh CSRF token (signing in again in
  // another tab changes it) and send; if not, send nothing, keep the page as
  // it is, and say so inside the form. The server has a net under this
  // (core/errors.py) for a session that ends in between.
  //
  // Asking costs a round trip, so a page that is young (opened or last
  // checked under data-session-check-after seconds ago) and was never hidden
  // since sends at once: its session can only have ended from another tab
  // (which hides this one) or another device (rare; the server's net holds).
  var body = document.body;
  var sessionUrl = body && body.getAttribute("data-session-url");
  var who = body && body.getAttribute("data-who");
  var checkAfter = 1000 * parseInt((body && body.getAttribute("data-session-check-after")) || "0", 10);
  var checkedAt = Date.now();
  var hiddenSince = false;
  function fresh() { return !hiddenSince && Date.now() - checkedAt < checkAfter; }
  function stillHere() { checkedAt = Date.now(); hiddenSince = false; }

  function checkSession() {
    return fetch(sessionUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("session " + response.status);
        return response.json();
      });
  }
  function useToken(token) {
    if (!token) return;
    document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) { input.value = token; });
    body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
  }
  function clearNotSaved(form) {
    form.querySelectorAll("[data-not-saved]").forEach(function (node) { node.remove(); });
  }
  function showNotSaved(form, reason, retry) {
    clearNotSaved(form);
    var template = document.getElementById("not-saved-" + reason);
    if (!template) return;
    var notice = template.content.firstElementChild.cloneNode(true);
    var again = notice.querySelector("[data-save-again]");
    if (again) again.addEventListener("click", retry);
    form.insertBefore(notice, form.firstChild);
  }
  // Ask, then go on or keep the page. One check per form at a time, so a
  // double tap sends once.
  function guard(form, proceed) {
    if (form.hasAttribute("data-checking")) return;
    form.setAttribute("data-checking", "");
    var retry = function () { guard(form, proceed); };
    checkSession().then(function (state) {
      form.removeAttribute("data-checking");
      useToken(state.csrf);
      if (!state.signed_in) return showNotSaved(form, "signed_out", retry);
      if (state.who !== who) return showNotSaved(form, "someone_else", retry);
      stillHere();
      clearNotSaved(form);
      proceed();
    }, function () {
      form.removeAttribute("data-checking");
      showNotSaved(form, "offline", retry);
    });
  }
  function checked(form) {
    return sessionUrl && form && form.method && form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-session-check");
  }

  // Plain forms: hold the submit, check, then submit again for real.
  var passing = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!checked(form) || form.hasAttribute("hx-post")) return; // htmx forms: see htmx:confirm
    if (passing === form) { passing = null; return; }
    if (fresh()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    guard(form, function () {
      passing = form;
      if (submitter && submitter.form === form) form.requestSubmit(submitter); else form.requestSubmit();
    });
  }, true);

  // htmx forms: htmx asks before it sends; answer after the check.
  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail;
    if (!sessionUrl || detail.verb !== "post") return;
    if (!detail.triggeringEvent || detail.triggeringEvent.type !== "submit") return;
    var form = detail.elt.closest("form");
    if (!checked(form) || fresh()) return;
    event.preventDefault();
    guard(form, function () { detail.issueRequest(true); });
  });

  // Any htmx request the server refused because the session ended or the
  // token went stale (a draft saved while typing, a tapped answer): same
  // notice in its form; "Save again" sends the whole form, after the check.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var reason = xhr && xhr.getResponseHeader("X-Tandem-Not-Saved");
    if (!reason) return;
    var form = event.detail.elt.closest("form");
    if (!form) return;
    var send = function () { form.requestSubmit(); };
    var retry = function () { guard(form, send); };
    if (reason === "signed_out") showNotSaved(form, "signed_out", retry);
    else checkSession().then(function (state) {
      useToken(state.csrf);
      showNotSaved(form, state.signed_in ? (state.who === who ? "expired_form" : "someone_else") : "signed_out", retry);
    }, function () { showNotSaved(form, "offline", retry); });
  });

  // Back from signing in in another tab: say so in the notice.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) hiddenSince = true;
    if (document.hidden || !sessionUrl) return;
    var notices = document.querySelectorAll("[data-not-saved] [data-not-saved-state]");
    if (!notices.length) return;
    checkSession().then(function (state) {
      useToken(state.csrf);
      var back = state.signed_in && state.who === who;
      notices.forEach(function (node) { node.hidden = !back; });
    }, function () {});
  });
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

// ---------------------------------------------------------------------------
// The installable app and notifications on this device (issue 16).
// Kept apart from the rest: the worker (/sw.js, see tandem/core/pwa.py) only
// ever stores static files and the neutral offline page, never a page.
(function () {
  "use strict";

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // Without the worker Tandem works as before, only without the offline page and notifications.
    });
  }

  var box = document.querySelector("[data-push]");
  if (!box) return;
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window && window.isSecureContext;
  var button = box.querySelector("[data-push-on]");
  var status = box.querySelector("[data-push-status]");
  var unsupported = box.querySelector("[data-push-unsupported]");
  if (!supported) return;
  unsupported.hidden = true;
  button.hidden = false;

  function say(text) { status.textContent = text; }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

  function post(url, fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (name) { data.append(name, fields[name]); });
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    });
  }

  // Browsers ask for permission only after a tap, so nothing happens before one.
  button.addEventListener("click", function () {
    button.disabled = true;
    say(box.getAttribute("data-asking"));
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw new Error("denied");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute("data-vapid-key"))
      });
    }).then(function (subscription) {
      var json = subscription.toJSON();
      return post(box.getAttribute("data-subscribe-url"), {
        endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth
      });
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) throw new Error(text);
        say(text);
        window.setTimeout(function () { window.location.reload(); }, 800);  // the device joins the list
      });
    }).catch(function (error) {
      button.disabled = false;
      say(error && error.message === "denied"
        ? box.getAttribute("data-denied")
        : box.getAttribute("data-failed") + " " + ((error && error.message) || ""));
    });
  });
})();

// ---------------------------------------------------------------------------
// Live turns (issue 16, "3. Live turns"). An open page learns without a
// reload that something now waits on this person, by polling two tiny GET
// endpoints of tandem/turns (why polling and what it costs: bench/README.md,
// "Live turns"):
//
// * every signed-in page: the header's count (turns:count, the number alone;
//   304 when unchanged). A new number goes into the header, is said once to
//   screen readers, and home's "Waiting for you" list (#waiting) is fetched
//   again (turns:waiting);
// * an assignment's page: its turn stamp (turns:stamp). When it changed, the
//   page fetches its turn region again (#turn-region, the page itself asked
//   with HX-Target: turn-region) and puts it in place -- but never over words
//   being typed: then it only says "Your partner moved on. Your words are
//   kept" with a button, and the words go over into the fresh region.
//
// Polls only while the page is visible, at once when it becomes visible
// again; stops for good when signed out (403) or gone (404). Intervals come
// from the settings LIVE_POLL_SECONDS and LIVE_TURN_POLL_SECONDS (as
// data-poll-ms and data-turn-poll-ms on <body>).
(function () {
  "use strict";

  var body = document.body;
  var countUrl = body && body.getAttribute("data-waiting-url");
  if (!countUrl || !window.fetch || !window.Promise) return;

  // Run `task` every `ms` while the page is visible; `task` returns a promise,
  // resolving to "stop" to stop for good.
  function poll(ms, task) {
    var timer = null, busy = false, stopped = false;
    function run() {
      timer = null;
      if (stopped || busy || document.hidden) return;
      busy = true;
      Promise.resolve().then(task).catch(function () { return null; }).then(function (result) {
        busy = false;
        if (result === "stop") stopped = true; else later();
      });
    }
    function later() {
      if (!stopped && !timer && !document.hidden) timer = window.setTimeout(run, ms);
    }
    document.addEventListener("visibilitychange", function () {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (!document.hidden) run();
    });
    later();
  }

  // A GET that never follows a redirect (a redirect to the log-in page is not an answer).
  function ask(url, etag, headers) {
    var all = headers || {};
    if (etag) all["If-None-Match"] = etag;
    return window.fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "manual", headers: all });
  }
  function gone(response) { return response.status === 403 || response.status === 404 || response.type === "opaqueredirect"; }
  function parse(html, id) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.getElementById(id);
  }
  function activate(node) {
    if (!window.htmx) return;
    window.htmx.process(node);
    window.htmx.trigger(node, "htmx:load", { elt: node });  // text limits, as after any htmx swap
  }
  function say(line, text) {
    if (!line) return;
    line.textContent = "";
    window.setTimeout(function () { line.textContent = text; }, 50);  // the same words again are said again
  }

  // --- the header's count, and home's list --------------------------------------
  var link = document.querySelector("[data-waiting-link]");
  var said = document.querySelector("[data-waiting-said]");
  function shownCount() {
    var badge = link && link.querySelector("[data-waiting-count]");
    return badge ? parseInt(badge.textContent, 10) || 0 : 0;
  }
  function showCount(n) {
    var badge = link.querySelector("[data-waiting-count]");
    var label = link.getAttribute("data-waiting-label");
    if (!n) {
      if (badge) badge.remove();
    } else {
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "count";
        badge.setAttribute("data-waiting-count", "");
        link.appendChild(badge);
      }
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + label;
      badge.textContent = String(n);
      badge.appendChild(hidden);
    }
    say(said, n ? n + " " + label : link.getAttribute("data-waiting-none"));
  }
  function refreshList() {
    var list = document.getElementById("waiting");
    var url = body.getAttribute("data-waiting-fragment");
    if (!list || !url) return null;
    return ask(url, null, { "HX-Request": "true" }).then(function (response) {
      if (!response.ok || response.type === "opaqueredirect") return null;
      return response.text().then(function (html) {
        var fresh = parse(html, "waiting");
        var old = document.getElementById("waiting");
        if (!fresh || !old) return;
        var focused = old.contains(document.activeElement) && document.activeElement.getAttribute("href");
        old.replaceWith(fresh);
        activate(fresh);
        var again = focused && fresh.querySelector('a[href="' + CSS.escape(focused) + '"]');
        if (again) again.focus();
      });
    });
  }
  if (link) {
    var known = shownCount();
    poll(parseInt(body.getAttribute("data-poll-ms"), 10) || 20000, function () {
      return ask(countUrl, '"' + known + '"', { Accept: "text/plain" }).then(function (response) {
        if (gone(response)) return "stop";
        if (response.status !== 200) return null;  // 304: unchanged
        return response.text().then(function (text) {
          var n = parseInt(text, 10);
          if (isNaN(n) || n === known) return null;
          known = n;
          showCount(n);
          return refreshList();
        });
      });
    });
  }

  // --- an assignment's turn region ------------------------------------------------
  var region = document.getElementById("turn-region");
  if (!region) return;
  var notice = document.querySelector("[data-turn-notice]");
  var turnSaid = document.querySelector("[data-turn-said]");
  var TEXT = "textarea, input[type=text], input[type=search], input:not([type])";

  // Words typed (or kept as a draft) and choices changed in the region: someone's work in progress.
  function typed(root) {
    return Array.prototype.filter.call(root.querySelectorAll(TEXT), function (field) { return field.value.trim() !== ""; });
  }
  function changedChoices(root) {
    return Array.prototype.filter.call(root.querySelectorAll("input[type=radio], input[type=checkbox]"), function (box) {
      return box.checked !== box.defaultChecked;
    });
  }
  function inProgress(root) { return typed(root).length > 0 || changedChoices(root).length > 0; }
  function busy(root) { return !!root.querySelector(".htmx-request, [data-checking]"); }
  function stampOf(root) {
    // A panel its own form just swapped in (the person's own step) is newer than the region around it.
    var panel = root.querySelector("#work-panel[data-turn-stamp]");
    return (panel || root).getAttribute("data-turn-stamp");
  }
  function fetchRegion() {
    return ask(window.location.pathname, null, { "HX-Request": "true", "HX-Target": "turn-region" }).then(function (response) {
      if (!response.ok || response.type === "opaqueredirect") return null;
      return response.text();
    });
  }
  // Put the fresh region in place; with `carry`, the words and choices in progress go over into it.
  function swap(html, carry) {
    var old = document.getElementById("turn-region");
    var fresh = html && parse(html, "turn-region");
    if (!old || !fresh) return;
    var words = carry ? typed(old).map(function (field) { return { id: field.id, name: field.name, value: field.value }; }) : [];
    var choices = carry ? changedChoices(old).map(function (box) { return { name: box.name, value: box.value, checked: box.checked }; }) : [];
    var active = document.activeElement;
    var focusedId = old.contains(active) ? active.id || "" : null;
    old.replaceWith(fresh);
    var kept = [];
    words.forEach(function (word) {
      var twin = word.id && document.getElementById(word.id);
      if (twin && fresh.contains(twin) && twin.matches(TEXT)) twin.value = word.value;
      else kept.push(word.value);
    });
    choices.forEach(function (choice) {
      fresh.querySelectorAll('input[name="' + CSS.escape(choice.name) + '"]').forEach(function (box) {
        if (box.value === choice.value) box.checked = choice.checked;
      });
    });
    var template = document.getElementById("turn-kept");
    if (kept.length && template) {
      // Nowhere left to type them (the step moved on): shown to copy, as after a refused step.
      var box = template.content.firstElementChild.cloneNode(true);
      box.querySelector("[data-kept-text]").textContent = kept.join("\n\n");
      fresh.insertBefore(box, fresh.firstChild);
    }
    activate(fresh);
    if (notice) notice.hidden = true;
    say(turnSaid, turnSaid && turnSaid.getAttribute("data-words"));
    if (focusedId !== null) {
      var again = focusedId && document.getElementById(focusedId);
      if (!again) { again = fresh; fresh.setAttribute("tabindex", "-1"); }
      again.focus();
    }
  }
  if (notice) {
    notice.querySelector("[data-turn-show]").addEventListener("click", function () {
      fetchRegion().then(function (html) { swap(html, true); });
    });
  }

  poll(parseInt(body.getAttribute("data-turn-poll-ms"), 10) || 10000, function () {
    var now = document.getElementById("turn-region");
    if (!now) return "stop";
    var stamp = stampOf(now);
    return ask(now.getAttribute("data-turn-poll"), '"' + stamp + '"', { Accept: "text/plain" }).then(function (response) {
      if (gone(response)) return "stop";
      if (response.status !== 200) return null;
      return response.text().then(function (fresh) {
        if (fresh === stamp || busy(now)) return null;  // a step being sent: its own answer comes first
        if (inProgress(now)) { if (notice) notice.hidden = false; return null; }
        return fetchRegion().then(function (html) {
          var current = document.getElementById("turn-region");
          // Typing may have begun while the region was on its way.
          if (!current || busy(current)) return;
          if (inProgress(current)) { if (notice) notice.hidden = false; return; }
          swap(html, false);
        });
      });
    });
  });
})();
