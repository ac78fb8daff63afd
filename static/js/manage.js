// Manager portal: "tick all" for bulk actions. The page works without it.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  const form = all.closest("form");
  form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`).forEach((box) => {
    box.checked = all.checked;
  });
});

// A refused task action (400/403/409) comes back as the row with its error: show it.
document.addEventListener("htmx:beforeSwap", (event) => {
  if ([400, 403, 409].includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
