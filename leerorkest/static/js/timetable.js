// Timetable grids: place each lesson on its rows and column (kept out of inline styles, which
// the Content-Security-Policy forbids), submit view choices at once, select the feed address.
function layoutGrids(root) {
  for (const grid of root.querySelectorAll(".tt-grid[data-columns]")) {
    grid.style.gridTemplateColumns = `3.5rem repeat(${grid.dataset.columns}, minmax(7.5rem, 1fr))`;
    grid.style.gridTemplateRows = `auto repeat(${grid.dataset.rows}, 0.5rem)`;
    for (const cell of grid.querySelectorAll("[data-row]")) {
      if (cell.dataset.column) cell.style.gridColumn = cell.dataset.column;
      const span = cell.dataset.span ? ` / span ${cell.dataset.span}` : "";
      cell.style.gridRow = `${cell.dataset.row}${span}`;
    }
  }
}
document.addEventListener("DOMContentLoaded", () => layoutGrids(document));
document.addEventListener("htmx:afterSettle", (event) => layoutGrids(event.target.ownerDocument || document));
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});
