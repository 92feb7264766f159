// The registration form on an event's page sits in a cached page, so it carries no form token.
// When the visitor starts filling it in, fetch a fresh one; without this script the server shows
// the form again, filled in, and asks for one more press of Register.
(() => {
  for (const form of document.querySelectorAll("form[data-event-register]")) {
    const field = form.querySelector('input[name="t"]');
    if (!field) continue;
    let asked = false;
    form.addEventListener("focusin", () => {
      if (asked) return;
      asked = true;
      fetch("/events/token", { credentials: "same-origin", cache: "no-store" })
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
