// Slide deck viewer: one slide at a time with keyboard (arrows, PageUp/PageDown, Home/End),
// touch swipes, buttons and a counter. Without this script the deck is a scrollable page of slides.
(() => {
  const deck = document.querySelector("[data-deck]");
  if (!deck) return;
  const slides = Array.from(deck.querySelectorAll(".marpit > svg"));
  if (slides.length < 2) return;
  const controls = deck.querySelector(".deck-controls");
  const counter = deck.querySelector("[data-deck-current]");
  const allButton = deck.querySelector("[data-deck-all]");
  let current = 0;

  function fromHash() {
    const n = Number.parseInt(location.hash.replace(/^#/, ""), 10);
    return Number.isFinite(n) && n >= 1 && n <= slides.length ? n - 1 : 0;
  }

  function show(i, updateHash) {
    current = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach((s, k) => {
      s.classList.toggle("is-current", k === current);
    });
    if (counter) counter.textContent = String(current + 1);
    if (updateHash) history.replaceState(null, "", `#${current + 1}`);
  }

  deck.classList.add("deck--js");
  if (controls) controls.hidden = false;
  show(fromHash(), false);

  deck.querySelector("[data-deck-prev]")?.addEventListener("click", () => show(current - 1, true));
  deck.querySelector("[data-deck-next]")?.addEventListener("click", () => show(current + 1, true));
  allButton?.addEventListener("click", () => {
    const all = deck.classList.toggle("deck--all");
    allButton.textContent = all ? "Show one slide at a time" : "Show all slides";
  });
  window.addEventListener("hashchange", () => show(fromHash(), false));

  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || deck.classList.contains("deck--all")) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const moves = {
      ArrowRight: current + 1,
      ArrowDown: current + 1,
      PageDown: current + 1,
      " ": current + 1,
      ArrowLeft: current - 1,
      ArrowUp: current - 1,
      PageUp: current - 1,
      Home: 0,
      End: slides.length - 1,
    };
    if (!(e.key in moves)) return;
    if (e.key === " " && t instanceof HTMLElement && /^(BUTTON|A)$/.test(t.tagName)) return;
    e.preventDefault();
    show(moves[e.key], true);
  });

  let startX = 0;
  let startY = 0;
  const stage = deck.querySelector(".deck-stage");
  stage?.addEventListener(
    "touchstart",
    (e) => {
      startX = e.changedTouches[0].clientX;
      startY = e.changedTouches[0].clientY;
    },
    { passive: true },
  );
  stage?.addEventListener(
    "touchend",
    (e) => {
      const dx = e.changedTouches[0].clientX - startX;
      const dy = e.changedTouches[0].clientY - startY;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy) * 1.5) show(current + (dx < 0 ? 1 : -1), true);
    },
    { passive: true },
  );
})();
