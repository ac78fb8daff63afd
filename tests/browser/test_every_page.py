"""Every page of the staff portals, on a phone and on a laptop, as the people who use it.

The pages are the GET rows of the access matrix (`tests/security/test_access_matrix.py` ROWS)
under the sales, manage, tasks, content and notifications prefixes that answer 200 to one of
the staff roles: a new route cannot land without a row there, so it is visited here too. Ids
come from the security world (`tests/security/world.py`), which holds an object for each.

On each page, at 390×844 and 1366×900: the page is not wider than the window, the console shows
no error, the Content Security Policy was not violated, and axe-core (vendored in
static/vendor/axe-core) finds nothing serious or critical. Screenshots of every page land in
var/screenshots/ for anyone to look at (not committed).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static

from requests_app.models import ReferenceRequest
from tests.browser.conftest import TIMEOUT_MS, save_screenshot
from tests.security.test_access_matrix import OK, ROWS
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("every-page")]

PORTALS = ("sales", "manage", "tasks", "content", "notifications", "profile", "insights")
# Who uses a page: the role a portal is for (the manager works the task list, a rep reads
# notifications), else the first staff role that may open it (the owner, for approvals).
USED_BY = {
    "sales": "sales",
    "manage": "manager",
    "tasks": "manager",
    "content": "marketing",
    "notifications": "sales",
    "profile": "sales",
    "insights": "manager",
}
STAFF = ("sales", "owner", "manager", "marketing")
# Routes answering with a file for another program (the website's customer list), not a page.
NOT_PAGES = {"content:customers-csv", "content:customers-json", "content:asset-file"}
# The lists' CSV / XLSX exports, the import's template CSV, and the import's progress partial
# (a fragment htmx polls into the job's page).
NOT_PAGES |= {
    "sales:search-export",
    "sales:requests-export",
    "manage:requests-export",
    "manage:activities-export",
    "manage:nominations-export",
    "manage:import-template",
    "manage:import-job-status",
    "insights:export",
}
# Public pages outside the portals, opened by an anonymous visitor.
PUBLIC_PAGES = ("volunteer",)
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# One unbroken word, as long as a pasted link or a runaway note: it must wrap, not widen pages.
LONG_WORD = "https://example.com/" + "x" * 1500

# Records CSP violations before any page script runs (an init script is not subject to the CSP).
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});
"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): '
                + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
}"""


def pages(world) -> list[tuple[str, str, str]]:
    """(url name, role, path) of every portal page a staff role opens with a 200."""
    found = []
    for key, row in ROWS.items():
        if key.split(":")[0] not in PORTALS or "GET" not in row.cells or key in NOT_PAGES:
            continue
        cells = row.cells["GET"]
        usual = USED_BY[key.split(":")[0]]
        role = usual if cells.get(usual) == OK else next((r for r in STAFF if cells.get(r) == OK), None)
        if role:
            found.append((key, role, row.url(key, world)))
    return found


def _long_words(world) -> None:
    """Put an unbroken word where people type free text shown on pages."""
    ReferenceRequest.objects.filter(pk__in=[world.request.pk, world.request_scheduled.pk]).update(
        notes=LONG_WORD
    )
    world.note.__class__.objects.filter(pk=world.note.pk).update(body=LONG_WORD)


# Controls in the page's main part that start or end beyond the window's edges (a table's
# Actions column pushed off screen, a form wider than the phone).
CONTROLS_OFF_SCREEN = """() => [...document.querySelectorAll(
      'main a, main button, main input, main select, main textarea')]
    .filter((e) => { const r = e.getBoundingClientRect();
                     return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
    .slice(0, 4).map((e) => e.tagName + ' ' + (e.textContent.trim() || e.name).slice(0, 40))"""
# The innermost elements that reach past the window's right edge (outside a scrolling box).
WIDE_ELEMENTS = """() => {
  const clipped = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; }
    return false; };
  const wide = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter((e) => wide(e) && ![...e.children].some(wide) && !clipped(e))
    .slice(0, 4).map((e) => e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30));
}"""
# On a phone the top bar takes at most this much of the screen, and the first search result
# shows on the first screen (the filters are folded).
TOP_BAR_MAX_PX = 100


def _phone_problems(page) -> list[str]:
    problems = [f"off screen: {control}" for control in page.evaluate(CONTROLS_OFF_SCREEN)]
    top_bar = page.locator("header.topbar").bounding_box()
    if top_bar["height"] > TOP_BAR_MAX_PX:
        problems.append(f"the top bar is {top_bar['height']:.0f} px high")
    first_result = page.locator(".ref-card").first
    if first_result.count() and first_result.bounding_box()["y"] > SIZES["phone"]["height"]:
        problems.append(f"the first result starts {first_result.bounding_box()['y']:.0f} px down")
    return problems


def _problems(page, size: str) -> list[str]:
    problems = _phone_problems(page) if size == "phone" else []
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        wide = page.evaluate(WIDE_ELEMENTS)
        problems.append(f"{width[0]} px wide in a {width[1]} px window: {wide}")
    problems += [f"CSP: {v}" for v in page.evaluate("() => window.__cspViolations")]
    page.add_script_tag(url=static("vendor/axe-core/axe.min.js"))
    problems += [f"axe: {v}" for v in page.evaluate(AXE_RUN)]
    return problems


def _visit(browser, live_server, world, role: str, size: str, visits) -> list[str]:
    """Open each page as `role` in one window of `size`; what is wrong on each."""
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size])
    context.set_default_timeout(TIMEOUT_MS)
    if role != "anonymous":
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": world.sessions[role], "url": live_server.url}
        context.add_cookies([cookie])
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: message.type == "error" and console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    failures = []
    for key, _, path, status in visits:
        console.clear()
        response = page.goto(path)
        where = f"{path} as {role} at {size}"
        if response.status != status:
            failures.append(f"{where}: HTTP {response.status}")
            continue
        name = re.sub(r"[^a-z0-9]+", "-", key)
        save_screenshot(page, SCREENSHOTS / f"{name}-{role}-{size}.png")
        # The browser reports the error page's own status as a failed load: not a page error.
        said = [text for text in console if status == 200 or f"status of {status}" not in text]
        problems = _problems(page, size) + [f"console: {text}" for text in said]
        failures += [f"{where}: {problem}" for problem in problems]
    context.close()
    return failures


def test_every_portal_page_fits_the_screen_and_passes_axe(browser, live_server):
    world = build_world()
    _long_words(world)
    visits = [(*visit, 200) for visit in pages(world)]
    assert {key.split(":")[0] for key, *_ in visits} == set(PORTALS), visits
    visits += [(key, "anonymous", ROWS[key].url(key, world), 200) for key in PUBLIC_PAGES]
    # The error pages people meet: marketing on the sales portal, a request that is not there.
    visits += [
        ("forbidden", "marketing", "/sales/", 403),
        ("not-found", "sales", "/sales/requests/999999/", 404),
    ]
    only = os.environ.get("EVERY_PAGE_ONLY")  # a path prefix, to look at a few pages while fixing
    visits = [visit for visit in visits if not only or visit[2].startswith(only)]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for size in SIZES:
        for role in sorted({visit[1] for visit in visits}):
            failures += _visit(browser, live_server, world, role, size, [v for v in visits if v[1] == role])
    assert not failures, "\n".join(failures)
