"""The insights goals in Chromium: a manager opens the goals page with goals set, sees the chart
drawn and its table with the numbers, clicks a bar and lands on the rows behind it."""

from decimal import Decimal

import pytest
from django.templatetags.static import static
from django.utils import timezone

from insights import facts
from insights.goals import Quarter
from insights.models import GoalMetric, ProgramGoal
from references.models import DealOutcome
from tests.browser.conftest import login, save_screenshot
from tests.browser.test_every_page import AXE_RUN, SCREENSHOTS
from tests.builders import catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


# Where the bar at `index` of the canvas' first dataset is, in the canvas' own pixels: the middle
# of a horizontal bar (between its base and its end).
BAR_MIDDLE = """([canvas, index]) => {
  const bar = Chart.getChart(canvas).getDatasetMeta(0).data[index];
  return {x: (bar.x + bar.base) / 2, y: bar.y};
}"""


def test_a_manager_follows_a_goal_bar_to_the_deals_behind_it(page, manager, sales_rep, account_owner):
    today = timezone.localdate()
    reference = catalogue.make_contact(catalogue.make_account(account_owner, name="Globex Bank"))
    for name, amount in (("Initech Bank", 60_000), ("Umbrella Retail", 40_000)):
        deal = catalogue.make_opportunity(
            sales_rep, prospect_name=name, amount=Decimal(amount), close_date=today, outcome=DealOutcome.WON
        )
        catalogue.make_activity(reference, today).opportunities.add(deal)
    catalogue.make_opportunity(
        sales_rep, prospect_name="Lost Corp", close_date=today, outcome=DealOutcome.LOST
    )
    quarter = Quarter.current()
    for metric, target in ((GoalMetric.INFLUENCED_REVENUE, 200_000), (GoalMetric.NEW_REFERENCES, 4)):
        ProgramGoal.objects.create(year=quarter.year, quarter=quarter.number, metric=metric, target=target)
    facts.refresh()  # as beat does: the revenue figures read the facts of the last rebuild

    login(page, "maria")
    page.goto("/insights/goals/")
    canvas = page.locator("canvas[data-chart='chart-data-goal-progress']")
    page.wait_for_selector("canvas[data-chart='chart-data-goal-progress'][data-drawn=yes]")

    # The table beside the chart has the numbers.
    rows = page.locator("#figure-goal-progress tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts() == [
        "Program · Influenced revenue (USD)",
        "100,000",
        "200,000",
        "50.0 %",
    ]
    assert rows.nth(1).locator("td").all_inner_texts()[1:] == ["0", "4", "0.0 %"]

    # The page with the managers' form passes axe like every portal page.
    save_screenshot(page, SCREENSHOTS / "insights-goals-manager.png")
    page.add_script_tag(url=static("vendor/axe-core/axe.min.js"))
    assert page.evaluate(AXE_RUN) == []

    # A click on the revenue bar opens the influenced won deals of the quarter.
    point = page.evaluate(BAR_MIDDLE, [canvas.element_handle(), 0])
    canvas.click(position=point)
    page.wait_for_url(lambda url: "/insights/deals/" in url)
    assert "influenced=yes" in page.url and "outcome=won" in page.url
    assert f"start={quarter.start.isoformat()}" in page.url
    text = page.inner_text("main")
    assert "Initech Bank" in text and "Umbrella Retail" in text
    assert "Lost Corp" not in text
    assert page.js_errors == []
