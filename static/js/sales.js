// Sales portal search. Everything works without this file; it only helps.
//
// The result cards' "pick" checkboxes belong to the request form (form="request-form") but sit
// inside the search form, whose htmx trigger listens for "change": stop their change events on
// the way down (capture phase) so ticking a reference does not re-run the search, and allow at
// most three picks (the server refuses a fourth anyway).
const MAX_PICKS = 3;
const PICK = 'input[form="request-form"][name="contact"]';

function updatePicks() {
  const boxes = document.querySelectorAll(PICK);
  const picked = Array.from(boxes).filter((box) => box.checked).length;
  boxes.forEach((box) => {
    box.disabled = !box.checked && picked >= MAX_PICKS;
  });
}

document.addEventListener(
  "change",
  (event) => {
    if (!event.target.matches(PICK)) return;
    event.stopPropagation();
    updatePicks();
  },
  true,
);
document.addEventListener("htmx:afterSettle", updatePicks);

// The filters are folded on a phone so the first result is near the top, and open on a wider
// screen; once the user opens or folds them, a new page of results keeps their choice.
let filtersOpen = null;
function showFilters() {
  const filters = document.querySelector(".facets-toggle");
  if (filters) filters.open = filtersOpen ?? window.matchMedia("(min-width: 801px)").matches;
}
document.addEventListener(
  "toggle",
  (event) => {
    if (event.target.matches?.(".facets-toggle")) filtersOpen = event.target.open;
  },
  true,
);
document.addEventListener("DOMContentLoaded", showFilters);
document.addEventListener("htmx:afterSettle", showFilters);
