// Keyboard shortcuts for the reader: j/k next/previous item, o open, s save, m mark read/unread,
// ? help. An enhancement only: every action is also a plain link or form that works without it.
(() => {
  const list = document.getElementById("items");
  const article = document.querySelector("article.reader-item");
  const help = document.getElementById("shortcut-help");
  const meta = document.querySelector('meta[name="csrf-token"]');
  const token = meta ? meta.getAttribute("content") || "" : "";
  if (!list && !article) return;
  for (const el of document.querySelectorAll(".shortcut-hint")) el.hidden = false;

  const items = list ? Array.from(list.querySelectorAll("li.item")) : [];
  let index = -1;

  function select(i) {
    if (!items.length) return;
    const next = Math.max(0, Math.min(items.length - 1, i));
    if (items[index]) {
      items[index].classList.remove("is-selected");
      items[index].removeAttribute("aria-current");
    }
    index = next;
    const el = items[index];
    el.classList.add("is-selected");
    el.setAttribute("aria-current", "true");
    const link = el.querySelector(".item-title a");
    if (link) link.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }

  // After a form posted without JavaScript the page comes back at #item-ID: keep that selection.
  const fromHash = /^#item-(\d+)$/.exec(location.hash);
  if (fromHash) {
    const at = items.findIndex((el) => el.dataset.id === fromHash[1]);
    if (at >= 0) select(at);
  }

  /** The item the keys act on: the selected one in the list, or the page's item. */
  function current() {
    return list ? items[index] : article;
  }

  async function toggleRead(el) {
    const button = el.querySelector('form button[data-action="read"], form button[data-action="unread"]');
    if (!button) return;
    const action = button.dataset.action;
    const res = await fetch(`/admin/reader/items/${el.dataset.id}/${action}`, {
      method: "POST",
      headers: { "X-CSRF-Token": token, Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!res.ok) {
      button.closest("form").submit(); // let the server say what went wrong
      return;
    }
    const state = await res.json();
    const read = state.is_read ? 1 : 0;
    el.dataset.read = String(read);
    el.classList.toggle("is-read", !!read);
    el.classList.toggle("is-unread", !read);
    const next = read ? "unread" : "read";
    button.dataset.action = next;
    button.closest("form").action = `/admin/reader/items/${el.dataset.id}/${next}`;
    if (button.firstChild) button.firstChild.textContent = read ? "Mark unread" : "Mark read";
  }

  let focusBeforeHelp = null;
  function toggleHelp(show) {
    if (!help) return;
    const open = show === undefined ? help.hidden : show;
    if (open === !help.hidden) return;
    help.hidden = !open;
    if (open) {
      focusBeforeHelp = document.activeElement;
      help.querySelector("button")?.focus();
    } else if (focusBeforeHelp instanceof HTMLElement) {
      focusBeforeHelp.focus(); // back where the reader was
    }
  }
  help?.querySelector(".shortcut-close")?.addEventListener("click", () => toggleHelp(false));

  function goTo(selector) {
    const a = document.querySelector(selector);
    if (a instanceof HTMLAnchorElement) location.href = a.href;
  }

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "Escape" && help && !help.hidden) return toggleHelp(false);
    const el = current();
    switch (e.key) {
      case "j":
        if (!list) return goTo('a[data-nav="next"]'); // the item page: the next item of its list
        select(index + 1);
        break;
      case "k":
        if (!list) return goTo('a[data-nav="prev"]');
        select(index < 0 ? 0 : index - 1);
        break;
      case "o":
        if (!el) return;
        // The title link carries the list's fields, so the item page's previous/next stay in it.
        if (list) location.href = el.querySelector(".item-title a")?.href ?? `/admin/reader/items/${el.dataset.id}`;
        else if (el.dataset.url) window.open(el.dataset.url, "_blank", "noopener,noreferrer");
        break;
      case "s":
        if (!el) return;
        location.href = `/admin/save?item=${el.dataset.id}`;
        break;
      case "m":
        if (!el) return;
        toggleRead(el);
        break;
      case "?":
        toggleHelp();
        break;
      default:
        return;
    }
    e.preventDefault();
  });
})();
