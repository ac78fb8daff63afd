"""A range's days are the program's (settings.TIME_ZONE), whoever reads the figure: the pages run
in each reader's zone, the digest and goals in the program's, and all say the same number."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from insights import measures, revenue
from insights.digest import month_segment, month_values
from marketing.models import AssetUse
from references.models import DealOutcome, ReferenceStatus, StatusChange
from tests.builders import catalogue, library

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = month_segment(date(2026, 10, 1)), month_segment(date(2026, 11, 1))
# 03:00 on 1 November in the program's zone (UTC); still 31 October, 20:00, in Los Angeles.
LATE_AT_NIGHT = datetime(2026, 11, 1, 3, tzinfo=UTC)
READER_ZONE = "America/Los_Angeles"


@pytest.fixture
def at_the_boundary(settings, sales_rep, manager, customer_contact):
    """A recruit and a content use just after midnight on 1 November (program time), for a deal won
    on 31 October: the use came a day after the close, so the deal is not influenced."""
    settings.TIME_ZONE = "UTC"
    recruit = catalogue.make_contact(customer_contact.account)
    change = StatusChange.objects.create(
        contact=recruit,
        from_status=ReferenceStatus.CANDIDATE,
        to_status=ReferenceStatus.ACTIVE,
        reason="Qualified.",
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=LATE_AT_NIGHT)
    deal = catalogue.make_opportunity(
        sales_rep, close_date=date(2026, 10, 31), amount=Decimal(1000), outcome=DealOutcome.WON
    )
    use = library.make_use(library.make_asset(manager), manager, opportunity=deal)
    AssetUse.objects.filter(pk=use.pk).update(used_at=LATE_AT_NIGHT)


def test_a_reader_in_another_zone_reads_the_digests_numbers(at_the_boundary):
    in_program_zone = (month_values(OCTOBER), month_values(NOVEMBER))
    with timezone.override(READER_ZONE):  # as portals.middleware runs a reader's page
        in_reader_zone = (month_values(OCTOBER), month_values(NOVEMBER))
        october_revenue = revenue.summary(OCTOBER)
        content = revenue.content_row(OCTOBER)

    assert in_reader_zone == in_program_zone
    assert (in_program_zone[0]["new_references"], in_program_zone[1]["new_references"]) == (0, 1)
    assert in_program_zone[0]["influenced_revenue"] == 0
    assert october_revenue["deals"] == 0 and content["deals"] == 0
    assert measures.influenced_revenue(OCTOBER)["deals"] == 0
