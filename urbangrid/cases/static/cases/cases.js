/* Small behaviours of the case screens. Everything is delegated from the document, so it keeps
 * working on content that htmx swaps in (queue refreshes, action panels).
 *  - a click anywhere on a queue row opens the case;
 *  - photo thumbnails open in a lightbox (← → step through the group, Esc closes);
 *  - the action panel closes with its × or Cancel button;
 *  - a photo input lists the files chosen (the camera gives them no visible name);
 *  - the report desk's type list can be narrowed by name, code or pinyin initials.
 */
(function () {
  "use strict";

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input, label, select")) {
      window.location.href = row.dataset.href;
    }
  });

  // ------------------------------------------------------------ lightbox

  let group = [];
  let index = 0;

  function box() {
    return document.getElementById("lightbox");
  }

  function show(i) {
    const lb = box();
    index = (i + group.length) % group.length;
    const link = group[index];
    lb.querySelector("img").src = link.href;
    lb.querySelector("figcaption").textContent =
      (link.dataset.caption || "") + (group.length > 1 ? `  ${index + 1} / ${group.length}` : "");
    lb.hidden = false;
  }

  document.addEventListener("click", (event) => {
    const thumb = event.target.closest("a.thumb");
    if (thumb && box()) {
      event.preventDefault();
      group = Array.from(document.querySelectorAll(`a.thumb[data-group="${thumb.dataset.group}"]`));
      show(group.indexOf(thumb));
      return;
    }
    const lb = box();
    if (lb && !lb.hidden && (event.target === lb || event.target.closest(".lightbox .close"))) lb.hidden = true;
  });

  document.addEventListener("keydown", (event) => {
    const lb = box();
    if (!lb || lb.hidden) return;
    if (event.key === "Escape") lb.hidden = true;
    if (event.key === "ArrowRight") show(index + 1);
    if (event.key === "ArrowLeft") show(index - 1);
  });

  // ------------------------------------------------------------ action panel

  function markOpen(name) {
    for (const button of document.querySelectorAll("#case-actions a.button")) {
      button.classList.toggle("open", button.dataset.action === name);
    }
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-panel]")) {
      const panel = document.getElementById("action-panel");
      if (panel) panel.innerHTML = "";
      markOpen(null);
    }
  });

  // After a panel opens, bring it into view: on a long case page it may start below the fold.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "action-panel") {
      const panel = target.querySelector("[data-panel]");
      markOpen(panel ? panel.dataset.panel : null);
      if (panel) target.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });

  // ------------------------------------------------------------ chosen photos

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "file") return;
    const out = document.querySelector(`[data-chosen-for="${input.id}"]`);
    if (!out) return;
    out.replaceChildren(
      ...Array.from(input.files).map((file) => {
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.title = file.name;
        return img;
      }),
    );
  });

  // ------------------------------------------------------------ type search (report desk)

  let searchTimer = null;

  async function narrowTypes(input) {
    const select = input.parentElement.querySelector("select");
    const q = input.value.trim();
    let codes = null;
    if (q) {
      const url = `${input.dataset.catalogApi}?kind=matter&limit=1000&q=${encodeURIComponent(q)}`;
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      codes = new Set((await response.json()).items.map((t) => t.code));
    }
    let first = null;
    for (const option of select.querySelectorAll("option")) {
      if (!option.value) continue;
      const visible = codes === null || codes.has(option.value);
      option.hidden = !visible;
      if (visible && !first) first = option;
    }
    for (const optgroup of select.querySelectorAll("optgroup")) {
      optgroup.hidden = !optgroup.querySelector("option:not([hidden])");
    }
    if (codes && first && (select.selectedOptions[0]?.hidden || !select.value)) select.value = first.value;
  }

  document.addEventListener("input", (event) => {
    const input = event.target.closest(".type-search");
    if (!input) return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => narrowTypes(input), 200);
  });
})();
