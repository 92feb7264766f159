// Drag and drop for the digest editor: entries (within and between sections) and whole sections.
// Each drop posts the order the page shows to /admin/digests/ID/order. An enhancement only: the
// ↑/↓ buttons of the form do the same without JavaScript, and stay for keyboard users.
(() => {
  const form = document.getElementById("digest-form");
  const root = document.getElementById("digest-sections");
  const status = document.getElementById("order-status");
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (!form || !root || !meta) return;
  const token = meta.getAttribute("content") || "";
  const endpoint = `${form.getAttribute("action")}/order`;
  let dragged = null;
  let before = "";

  const sections = () => Array.from(root.querySelectorAll("section.digest-section"));
  const orderOf = () =>
    sections().map((s) => ({
      section: Number(s.dataset.sectionId),
      entries: Array.from(s.querySelectorAll("li.digest-entry")).map((li) => Number(li.dataset.entryId)),
    }));
  const say = (text) => {
    if (status) status.textContent = text;
  };

  async function save() {
    say("Saving the order…");
    try {
      const res = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ order: orderOf() }),
        credentials: "same-origin",
      });
      if (res.ok) return say("Order saved.");
      const body = await res.json().catch(() => ({}));
      say(`The order was not saved: ${body.error || res.status}. Reload the page and try again.`);
    } catch {
      say("The order was not saved (offline?). Reload the page and try again.");
    }
  }

  function finish() {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    for (const s of sections()) {
      const hint = s.querySelector(".empty");
      if (hint) hint.hidden = s.querySelector("li.digest-entry") !== null;
    }
    if (JSON.stringify(orderOf()) !== before) save();
  }

  function handle(el, into, label) {
    const h = document.createElement("span");
    h.className = "drag-handle";
    h.draggable = true;
    h.title = label;
    h.textContent = "⠿";
    h.setAttribute("aria-hidden", "true");
    into.prepend(h);
    h.addEventListener("dragstart", (e) => {
      dragged = el;
      before = JSON.stringify(orderOf());
      el.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", "");
      e.dataTransfer.setDragImage(el, 12, 12);
    });
    h.addEventListener("dragend", finish);
  }

  // Put the dragged element before or after `over`, by which half of it the pointer is in.
  function place(over, y) {
    const r = over.getBoundingClientRect();
    if (y < r.top + r.height / 2) over.before(dragged);
    else over.after(dragged);
  }

  root.addEventListener("dragover", (e) => {
    if (!dragged) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const target = e.target instanceof Element ? e.target : null;
    if (!target) return;
    if (dragged.matches("li.digest-entry")) {
      const over = target.closest("li.digest-entry");
      if (over) {
        if (over !== dragged) place(over, e.clientY);
        return;
      }
      const list = target.closest("section.digest-section")?.querySelector("ol.digest-entries");
      if (!list) return;
      const first = list.querySelector("li.digest-entry");
      if (first && e.clientY < first.getBoundingClientRect().top) list.prepend(dragged);
      else if (list.lastElementChild !== dragged) list.append(dragged);
    } else {
      const over = target.closest("section.digest-section");
      if (over && over !== dragged) place(over, e.clientY);
    }
  });
  root.addEventListener("drop", (e) => {
    if (!dragged) return;
    e.preventDefault();
    finish();
  });

  for (const li of root.querySelectorAll("li.digest-entry")) handle(li, li, "Drag to move this entry");
  for (const s of sections()) handle(s, s.querySelector(".section-head") || s, "Drag to move this section");
})();
