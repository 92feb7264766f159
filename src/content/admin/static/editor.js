// Live preview for the post editor: posts the body to /admin/preview (debounced) and shows the
// rendered HTML (sanitized on the server). Without this script the "Preview" button does the same.
// It also opens the event details as soon as the kind "Event" is chosen.
(() => {
  const kindSelect = document.getElementById("f-kind");
  const eventDetails = document.querySelector("details.event-fields");
  if (kindSelect && eventDetails) {
    kindSelect.addEventListener("change", () => {
      eventDetails.open = kindSelect.value === "event";
    });
  }
})();
(() => {
  const form = document.querySelector("form.editor");
  const body = document.getElementById("f-body");
  const kind = document.getElementById("f-kind");
  const out = document.getElementById("preview-body");
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (!form || !body || !kind || !out || !meta) return;
  const token = meta.getAttribute("content") || "";
  let timer = 0;
  let seq = 0;

  async function update() {
    const n = ++seq;
    const data = new FormData();
    data.set("body", body.value);
    data.set("kind", kind.value);
    try {
      const res = await fetch("/admin/preview", {
        method: "POST",
        body: data,
        headers: { "X-CSRF-Token": token },
        credentials: "same-origin",
      });
      if (n !== seq) return; // a newer request is on its way
      if (!res.ok) {
        out.textContent = `Preview unavailable (${res.status}).`;
        return;
      }
      out.innerHTML = await res.text();
    } catch {
      if (n === seq) out.textContent = "Preview unavailable (offline?).";
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 350);
  };
  body.addEventListener("input", schedule);
  kind.addEventListener("change", update);
  for (const el of document.querySelectorAll(".js-hide")) el.hidden = true;
  update();
})();
