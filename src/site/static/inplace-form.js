// Forms marked data-inplace="SELECTOR" (the comment form) are sent without leaving the page: the
// server answers JSON {ok, message, html?, token?}; html (already escaped and sanitized by the
// server) is added to the element SELECTOR names, and the message shown in the form's status.
// Without this script the form posts normally and the server answers with a page.
(() => {
  for (const form of document.querySelectorAll("form[data-inplace]")) {
    const status = form.querySelector(".form-status");
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((r) => r.json().then((j) => ({ ok: r.ok, j })))
        .then(({ ok, j }) => {
          if (status) {
            status.textContent = "";
            const p = document.createElement("p");
            p.className = ok ? "form-notice" : "form-error";
            p.textContent = j.message || (ok ? "Sent." : "That did not work.");
            status.append(p);
          }
          const t = form.querySelector('input[name="t"]');
          if (t && j.token) t.value = j.token;
          // "One more step" answers 200 with ok: false; keep what the reader typed.
          if (ok && j.ok !== false) {
            const list = document.querySelector(form.dataset.inplace);
            if (list && j.html) list.insertAdjacentHTML("beforeend", j.html);
            // A new heading for the list (the comment count), when the server sends one.
            const heading = form.dataset.inplaceHeading && document.querySelector(form.dataset.inplaceHeading);
            if (heading && j.heading) heading.textContent = j.heading;
            const text = form.querySelector("textarea");
            if (text) text.value = "";
          }
        })
        .catch(() => {
          // The network failed: send the form the ordinary way.
          form.submit();
        })
        .finally(() => {
          if (button) button.disabled = false;
        });
    });
  }
})();
