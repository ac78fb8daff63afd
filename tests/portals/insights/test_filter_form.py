"""The insights filter form's date range: at most five years, whether the end is given or runs
to today."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portals.insights.forms import InsightFilterForm

pytestmark = pytest.mark.django_db


def test_a_range_of_more_than_five_years_is_refused():
    form = InsightFilterForm({"start": "2020-01-01", "end": "2025-12-31"})
    assert form.errors == {"end": ["Choose a range of at most five years."]}


def test_a_start_alone_runs_to_today_under_the_same_cap():
    today = timezone.localdate()
    far = InsightFilterForm({"start": (today - timedelta(days=366 * 5 + 1)).isoformat()})
    assert far.errors == {"start": ["Choose a range of at most five years."]}
    near = InsightFilterForm({"start": (today - timedelta(days=366 * 5)).isoformat()})
    assert near.is_valid() and near.segment().end == today


def test_bad_ranges_answer_400_on_the_pages(manager_client):
    for query in ({"start": "1950-01-01"}, {"start": "2020-01-01", "end": "2019-01-01"}):
        assert manager_client.get("/insights/revenue/", query).status_code == 400
