// Public forms in cached pages (subscribe after a post, event registration) carry no form token.
// When the visitor starts filling one in, fetch a fresh token from its data-token-url; without
// this script the server shows the form again, filled in, and asks for one more press.
(() => {
  for (const form of document.querySelectorAll("form[data-token-url]")) {
    const field = form.querySelector('input[name="t"]');
    if (!field) continue;
    let asked = false;
    form.addEventListener("focusin", () => {
      if (asked) return;
      asked = true;
      fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
        .then((r) => (r.ok ? r.json() : null))
        .then((j) => {
          if (j && typeof j.t === "string") field.value = j.t;
        })
        .catch(() => {
          asked = false;
        });
    });
  }
})();
