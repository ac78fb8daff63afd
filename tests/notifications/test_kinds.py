"""Kinds of notification are registered by the apps that raise them; notifications knows no other."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from insights.weekly import WEEKLY_DIGEST
from limits.notices import LIMIT_CHANGES
from notifications import kinds
from notifications.message import Message
from notifications.models import Notification
from notifications.services import notify
from workflows.models import NoticeKind
from workflows.notices import TASK_DUE_SOON, TASK_OVERDUE


def test_each_app_registers_the_kinds_it_raises():
    registered = {kind.code for kind in kinds.choosable()}
    assert set(NoticeKind.values) <= registered  # workflows: a request's history
    assert {TASK_DUE_SOON.code, TASK_OVERDUE.code, LIMIT_CHANGES.code, WEEKLY_DIGEST.code} <= registered
    # The daily digest is notifications' own, and nobody chooses how to get it: it is a delivery.
    assert kinds.kind("daily_digest").choosable is False
    assert "daily_digest" not in registered


def test_a_kind_nobody_registered_is_refused_before_anything_is_written(sales_rep):
    with pytest.raises(ImproperlyConfigured, match="Unknown notification kind “request_aproved”"):
        notify(kind="request_aproved", key="typo:1", message=Message("Hello"), users=[sales_rep])
    assert not Notification.objects.exists()


def test_a_different_kind_under_a_code_already_taken_is_refused():
    kinds.register([TASK_OVERDUE])  # the same kind again: harmless
    impostor = kinds.Kind(TASK_OVERDUE.code, "Something else entirely")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        kinds.register([impostor])
    assert kinds.kind(TASK_OVERDUE.code) == TASK_OVERDUE


def test_a_row_of_a_kind_no_longer_registered_still_reads_and_delivers_by_default(db):
    assert kinds.label("retired_kind") == "retired_kind"
    assert kinds.default_for("retired_kind") == kinds.Delivery.BOTH
