// Every admin page: label each cell of a list table with its column's heading, so that the
// stacked rows of a narrow screen still say what each value is. Without it the rows still stack.
for (const table of document.querySelectorAll("table.list")) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => {
      if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
    });
  }
}

// Escape closes the narrow screens' menu (a <details>) and gives the focus back to its button.
document.addEventListener("keydown", (event) => {
  const menu = document.querySelector("details.menu[open]");
  if (event.key !== "Escape" || !menu) return;
  menu.open = false;
  menu.querySelector("summary")?.focus();
});
