// Small progressive enhancements; every page works without them.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// On a phone the list tables are stacked cards (rms.css): name each cell after its column.
function labelTableCells() {
  document.querySelectorAll("table.list").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (headers[index] && !cell.hasAttribute("colspan")) cell.dataset.label = headers[index];
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", labelTableCells);
document.addEventListener("htmx:afterSettle", labelTableCells);
