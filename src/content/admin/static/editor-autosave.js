// Autosave of the post editor (issue 12).
// Local: while typing, the title, summary and body are kept in localStorage per post; when the
// page loads with different text older than that copy, a banner offers to restore it.
// Server: for saved posts, the text is posted to /admin/posts/<id>/autosave at most every 30 s
// while it changes. That is one rolling autosave kept beside the post (never its live text and
// never a new revision); the next real save replaces it.
(() => {
  const form = document.querySelector("form.editor");
  if (!form) return;
  const fields = ["title", "summary", "body"].map((n) => form.elements.namedItem(n));
  if (fields.some((f) => !f)) return;
  const key = `liner-draft:${form.dataset.draftKey || "new"}`;
  const status = document.getElementById("autosave-status");
  // Times as the rest of the admin writes them ("5 Dec 2026, 00:40"), not in the browser's locale.
  const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
  const when = (iso) => format.format(new Date(iso));
  const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") || "";
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage disabled: only the server autosave is left
    }
  })();
  const current = () => ({ title: fields[0].value, summary: fields[1].value, body: fields[2].value });
  const same = (a, b) => a.title === b.title && a.summary === b.summary && a.body === b.body;
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const changed = () => fields[2].dispatchEvent(new Event("input", { bubbles: true }));

  function readLocal() {
    try {
      const v = JSON.parse(storage?.getItem(key) || "null");
      return v && typeof v.body === "string" && typeof v.savedAt === "number" ? v : null;
    } catch {
      return null;
    }
  }
  let localTimer = 0;
  function saveLocal() {
    clearTimeout(localTimer);
    localTimer = setTimeout(() => {
      try {
        storage?.setItem(key, JSON.stringify({ ...current(), savedAt: Date.now() }));
      } catch {
        // full or disabled: nothing to do
      }
    }, 400);
  }

  function offer(local) {
    const box = document.createElement("div");
    box.className = "notice autosave-offer";
    box.setAttribute("role", "status");
    const p = document.createElement("p");
    p.textContent = `This browser kept newer text for this post (from ${when(local.savedAt)}).`;
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = "Restore it";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = "Discard it";
    restore.addEventListener("click", () => {
      fields[0].value = local.title ?? "";
      fields[1].value = local.summary ?? "";
      fields[2].value = local.body;
      box.remove();
      changed();
      fields[2].focus();
    });
    discard.addEventListener("click", () => {
      storage?.removeItem(key);
      box.remove();
    });
    const actions = document.createElement("p");
    actions.className = "actions";
    actions.append(restore, " ", discard);
    box.append(p, actions);
    form.before(box);
  }

  const loaded = current();
  const local = readLocal();
  const serverTime = Date.parse(form.dataset.updatedAt || "") || 0;
  if (local && local.savedAt > serverTime && !same(local, loaded)) offer(local);
  else if (local) storage?.removeItem(key);

  // Server autosave (saved posts only).
  const url = form.dataset.autosaveUrl;
  let lastSent = JSON.stringify(loaded);
  let serverTimer = 0;
  async function send() {
    serverTimer = 0;
    const now = JSON.stringify(current());
    if (now === lastSent) return;
    const data = new FormData();
    for (const [k, v] of Object.entries(current())) data.set(k, v);
    try {
      const res = await fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-CSRF-Token": token, Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!res.ok) {
        say(`Autosave failed (${res.status}); this browser still keeps your text.`);
        return;
      }
      const j = await res.json();
      lastSent = now;
      say(`Autosaved at ${when(j.savedAt)}. Not saved to the post yet: press Save to keep it.`);
    } catch {
      say("Autosave failed (offline?); this browser still keeps your text.");
    }
  }
  function scheduleServer() {
    if (!url || serverTimer) return;
    serverTimer = setTimeout(send, Number(form.dataset.autosaveMs) || 30000);
  }

  form.addEventListener("input", (e) => {
    if (!fields.includes(e.target)) return;
    saveLocal();
    scheduleServer();
  });
  form.addEventListener("submit", () => {
    clearTimeout(localTimer);
    clearTimeout(serverTimer);
    serverTimer = -1; // no autosave after the real save has started
    storage?.removeItem(key);
  });
})();
