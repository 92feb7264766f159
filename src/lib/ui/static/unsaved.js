// Unsaved-changes warning for every admin page (issue 12). A <form data-warn-unsaved> whose
// fields differ from what the page loaded with (or that came back with errors or a preview:
// data-warn-unsaved="changed") makes leaving the page ask first: the browser's own prompt on
// reload/close (beforeunload) and a confirm() when an in-page link is clicked. Submitting the
// form itself never asks. Other scripts call window.linerUnsaved.reset(form) after they saved
// what the form shows some other way.
(() => {
  const forms = [...document.querySelectorAll("form[data-warn-unsaved]")];
  if (!forms.length) return;
  const snapshot = (form) => {
    const parts = [];
    for (const [k, v] of new FormData(form)) {
      if (k === "_csrf") continue;
      const value = typeof v === "string" ? v : `file:${v.name}:${v.size}`;
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(value)}`);
    }
    return parts.join("&");
  };
  const base = new Map(forms.map((f) => [f, snapshot(f)]));
  let leaving = false;
  const dirty = () =>
    !leaving &&
    forms.some((f) => f.isConnected && (f.dataset.warnUnsaved === "changed" || snapshot(f) !== base.get(f)));

  for (const f of forms) f.addEventListener("submit", () => (leaving = true));
  // Back/forward cache: a page shown again is live again.
  addEventListener("pageshow", () => (leaving = false));

  addEventListener("beforeunload", (e) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = "";
  });

  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
    if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    const samePage =
      url.origin === location.origin && url.pathname === location.pathname && url.search === location.search;
    if (samePage && url.hash) return; // a jump within the page loses nothing
    if (!dirty()) return;
    if (window.confirm("You have unsaved changes on this page. Leave without saving them?")) leaving = true;
    else e.preventDefault();
  });

  window.linerUnsaved = {
    isDirty: dirty,
    reset(form) {
      if (!base.has(form)) return;
      base.set(form, snapshot(form));
      form.dataset.warnUnsaved = "";
    },
  };
})();
