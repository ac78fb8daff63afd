"""Checks the tests of the limits job share."""

from datetime import date

from limits.models import ContactUsage
from limits.usage import usage_recompute
from references.models import Contact


def stored() -> list[dict]:
    return list(ContactUsage.objects.order_by("pk").values())


def assert_same_as_judging_everyone(today: date) -> None:
    """A full run on the same data finds nothing to change: the incremental run left it exact."""
    before = stored()
    statuses = list(Contact.objects.order_by("pk").values_list("pk", "status"))

    full = usage_recompute(today=today, full=True)

    assert full.full and not full.changed_anything
    assert stored() == before
    assert list(Contact.objects.order_by("pk").values_list("pk", "status")) == statuses
