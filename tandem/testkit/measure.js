// Measurements of the page as drawn, for testkit/a11y.py (WCAG 2.2 checks axe does not make).
// One object of named functions; a11y.measure(page, name, ...args) calls one.
({
  // Visible targets smaller than `floor` px whose 24 px circle meets another target (2.5.8).
  smallTargets(selector, floor) {
    const seen = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"
        && !el.closest(".visually-hidden, [hidden], [inert]");
    };
    const box = (el) => {
      const r = el.getBoundingClientRect();
      let b = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      if (el.matches("input[type=radio], input[type=checkbox]")) {
        const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
        if (label) {
          const l = label.getBoundingClientRect();
          b = { left: Math.min(b.left, l.left), top: Math.min(b.top, l.top),
                right: Math.max(b.right, l.right), bottom: Math.max(b.bottom, l.bottom) };
        }
      }
      b.width = b.right - b.left;
      b.height = b.bottom - b.top;
      return b;
    };
    // A link inside a sentence: the text around it decides its size (the inline exception).
    const inline = (el) => {
      if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
      const block = el.parentElement.closest("p, li, td, dd, span, label, figcaption, small, legend");
      const own = (el.textContent || "").trim().length;
      return !!block && (block.textContent || "").trim().length > own + 2;
    };
    const all = [...document.querySelectorAll(selector)].filter(seen);
    const boxes = all.map(box);
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ' "'
      + (el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30) + '"';
    const bad = [];
    all.forEach((el, i) => {
      const r = boxes[i];
      if ((r.width >= floor - 0.5 && r.height >= floor - 0.5) || inline(el)) return;
      const cx = r.left + r.width / 2, cy = r.top + r.height / 2, rad = floor / 2;
      const meets = boxes.some((o, j) => {
        if (j === i || all[j].contains(el) || el.contains(all[j])) return false;
        const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
        return dx * dx + dy * dy < rad * rad;
      });
      if (meets) bad.push(`${name(el)} ${Math.round(r.width)}x${Math.round(r.height)}`);
    });
    return bad;
  },

  // Visible elements matching `selector` narrower or lower than `floor` px.
  smallerThan(selector, floor) {
    return [...document.querySelectorAll(selector)].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && !el.closest(".visually-hidden, [hidden]")
        && (r.width < floor - 0.5 || r.height < floor - 0.5);
    }).map((el) => {
      const r = el.getBoundingClientRect();
      return `${el.tagName.toLowerCase()} "${(el.textContent || "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`;
    });
  },

  // The focused element when the top bar and the tab bar hide all of it (2.4.11, AA), else null.
  focusCovered() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return null;
    const header = document.querySelector(".site-header");
    const nav = document.querySelector(".site-nav");
    if ((header && header.contains(el)) || (nav && nav.contains(el))) return null;
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const seenAt = document.elementFromPoint(x, y);
    if (seenAt && (el.contains(seenAt) || seenAt.contains(el))) return null;  // drawn above the bars
    let top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
    if (header) top = Math.max(top, header.getBoundingClientRect().bottom);
    if (nav && getComputedStyle(nav).position === "fixed") bottom = Math.min(bottom, nav.getBoundingClientRect().top);
    if (bottom - top >= 1) return null;
    return `${el.tagName.toLowerCase()} "${(el.textContent || el.value || "").trim().slice(0, 30)}" hidden by a bar`;
  },

  // The shell as drawn now: top bar height and place, tab bar, quick exit's reach, sideways scroll.
  shell() {
    const header = document.querySelector(".site-header").getBoundingClientRect();
    const nav = document.querySelector(".site-nav");
    const navBox = nav && nav.getBoundingClientRect();
    const exit = document.querySelector(".quick-exit");
    const e = exit && exit.getBoundingClientRect();
    const onTop = e && document.elementFromPoint(e.left + e.width / 2, e.top + e.height / 2);
    return {
      header: header.height,
      headerTop: header.top,
      hasTabs: !!document.querySelector(".site-nav .tab"),
      tabBar: !!nav && getComputedStyle(nav).position === "fixed" && Math.abs(navBox.bottom - innerHeight) < 1,
      exitReachable: !!e && e.top >= 0 && e.bottom <= innerHeight && !!onTop && exit.contains(onTop),
      scroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    };
  },
})
