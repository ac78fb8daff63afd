"""The content approval table against a hand-written specification, every (status, action,
role) run through the real service; then the rules a row carries: the customer's approval note,
the second pair of eyes on legal review, the permissions publishing needs, and conflicts."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from marketing.models import Asset, AssetEvent
from marketing.statuses import AssetKind, AssetStatus, PermissionKind, PermissionState
from tests.builders import catalogue
from tests.builders.marketing import grant, grant_needed, make_asset
from workflows.content_approval import ACTIONS, TABLE, asset_transition, available_actions

KEEP, SYS = "keeper", "system"
LIVE = ["draft", "customer_approval", "legal_review", "published", "expired"]
# (status, action) -> (target, who). Anything not listed is a conflict in that status.
SPEC = {
    ("draft", "submit"): ("customer_approval", {KEEP}),
    ("customer_approval", "customer_approved"): ("legal_review", {KEEP}),
    ("legal_review", "publish"): ("published", {KEEP}),
    **{(s, "send_back"): ("draft", {KEEP}) for s in ("customer_approval", "legal_review", "expired")},
    **{(s, "withdraw"): ("withdrawn", {KEEP}) for s in LIVE},
    ("published", "expire"): ("expired", {SYS}),
}
ROLES = ["marketer", "manager", "second_marketer", "sales_rep", SYS]
KEEPERS = {"manager", "second_marketer"}  # the owner (marketer) is refused legal review only


def test_the_table_is_exactly_the_specification():
    table = {(t.source, t.action): (t.target, {SYS if t.system_only else KEEP}) for t in TABLE}
    assert table == SPEC
    assert set(ACTIONS) == {action for _, action in SPEC}


@pytest.fixture
def people(marketer, manager, sales_rep):
    return {
        "marketer": marketer,
        "manager": manager,
        "second_marketer": catalogue.make_user("mara", catalogue.Role.MARKETING),
        "sales_rep": sales_rep,
        SYS: None,
    }


def _allowed(status: str, action: str, role: str) -> bool:
    target_roles = SPEC.get((status, action))
    if target_roles is None:
        return False
    roles = target_roles[1]
    if SYS in roles:
        return role == SYS
    if action == "publish":
        return role in KEEPERS  # not the owner, who also sent it for approval
    return role in {"marketer", *KEEPERS}


@pytest.mark.parametrize("status", [s.value for s in AssetStatus])
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_status_action_and_role(people, customer_account, status, action, role):
    owner = people["marketer"]
    grant_needed(customer_account, AssetKind.CASE_STUDY, owner)
    asset = make_asset(owner, accounts=[customer_account], status=status, approver=people["manager"])
    events = AssetEvent.objects.filter(asset=asset).count()
    note = "The customer's CMO replied yes by email."
    if _allowed(status, action, role):
        moved = asset_transition(asset_id=asset.pk, action=action, actor=people[role], note=note)
        assert moved.status == SPEC[(status, action)][0]
        event = AssetEvent.objects.filter(asset=asset).latest("id")
        assert (event.action, event.from_status, event.to_status) == (action, status, moved.status)
        assert event.actor == people[role]
        return
    expected = Conflict if (status, action) not in SPEC else NotAllowed
    with pytest.raises(expected), transaction.atomic():
        asset_transition(asset_id=asset.pk, action=action, actor=people[role], note=note)
    asset.refresh_from_db()
    assert asset.status == status and AssetEvent.objects.filter(asset=asset).count() == events


def test_the_buttons_are_the_rows_the_service_takes(people, customer_account):
    asset = make_asset(people["marketer"], accounts=[customer_account], status=AssetStatus.LEGAL_REVIEW)
    assert {t.action for t in available_actions(asset, people["manager"])} == {
        "publish",
        "send_back",
        "withdraw",
    }
    assert available_actions(asset, people["sales_rep"]) == []


def test_recording_the_customers_approval_needs_a_note_of_how(marketer, customer_account):
    asset = make_asset(marketer, accounts=[customer_account], status=AssetStatus.CUSTOMER_APPROVAL)
    with pytest.raises(InvalidInput, match="How the customer approved"):
        asset_transition(asset_id=asset.pk, action="customer_approved", actor=marketer, note="  ")
    done = asset_transition(
        asset_id=asset.pk, action="customer_approved", actor=marketer, note="Signed release, 3 May."
    )
    assert done.status == AssetStatus.LEGAL_REVIEW
    assert done.events.latest("id").note == "Signed release, 3 May."


def test_legal_review_is_not_approved_by_whoever_sent_it(marketer, manager, customer_account):
    grant_needed(customer_account, AssetKind.CASE_STUDY, marketer)
    asset = make_asset(manager, accounts=[customer_account], status=AssetStatus.DRAFT)
    asset.owner = manager  # the manager owns it; the marketer sends it
    asset_transition(asset_id=asset.pk, action="submit", actor=marketer)
    asset_transition(asset_id=asset.pk, action="customer_approved", actor=marketer, note="Email.")
    for who in (manager, marketer):  # the owner, and the one who sent it for approval
        with pytest.raises(NotAllowed, match="someone other than"):
            asset_transition(asset_id=asset.pk, action="publish", actor=who)
    other = catalogue.make_user("mara", catalogue.Role.MARKETING)
    assert asset_transition(asset_id=asset.pk, action="publish", actor=other).status == AssetStatus.PUBLISHED


@pytest.mark.parametrize(
    ("kind", "permission"),
    [
        (AssetKind.CASE_STUDY, PermissionKind.CASE_STUDY),
        (AssetKind.QUOTE, PermissionKind.QUOTE),
        (AssetKind.LOGO_PERMISSION, PermissionKind.LOGO),
        (AssetKind.PRESS_RELEASE, PermissionKind.PRESS),
    ],
)
def test_publishing_needs_the_permission_its_kind_maps_to(
    marketer, manager, customer_account, kind, permission
):
    asset = make_asset(marketer, accounts=[customer_account], kind=kind, status=AssetStatus.LEGAL_REVIEW)
    with pytest.raises(InvalidInput, match=f"not granted by: {customer_account.name}"):
        asset_transition(asset_id=asset.pk, action="publish", actor=manager)
    grant(customer_account, permission, marketer, state=PermissionState.DENIED)
    with pytest.raises(InvalidInput, match="permission in force"):
        asset_transition(asset_id=asset.pk, action="publish", actor=manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    grant(customer_account, permission, marketer, expires_on=yesterday)  # lapsed
    with pytest.raises(InvalidInput):
        asset_transition(asset_id=asset.pk, action="publish", actor=manager)
    grant(customer_account, permission, marketer)
    assert (
        asset_transition(asset_id=asset.pk, action="publish", actor=manager).status == AssetStatus.PUBLISHED
    )


def test_a_second_account_without_the_permission_still_refuses(
    marketer, manager, customer_account, account_owner
):
    other = catalogue.make_account(account_owner, name="Hooli")
    grant_needed(customer_account, AssetKind.CASE_STUDY, marketer)
    asset = make_asset(marketer, accounts=[customer_account, other], status=AssetStatus.LEGAL_REVIEW)
    with pytest.raises(InvalidInput, match="not granted by: Hooli"):
        asset_transition(asset_id=asset.pk, action="publish", actor=manager)


def test_someone_who_acted_first_makes_the_second_a_conflict(marketer, manager, customer_account):
    asset = make_asset(marketer, accounts=[customer_account], status=AssetStatus.CUSTOMER_APPROVAL)
    asset_transition(asset_id=asset.pk, action="withdraw", actor=manager, note="Customer asked.")
    with pytest.raises(Conflict, match="withdrawn now"):
        asset_transition(
            asset_id=asset.pk,
            action="customer_approved",
            actor=marketer,
            note="Email.",
            expected_status="customer_approval",
        )
    # The page showed an older status: refused even where the action would fit the new one.
    with pytest.raises(Conflict):
        asset_transition(
            asset_id=asset.pk, action="withdraw", actor=marketer, note="x", expected_status="draft"
        )
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.WITHDRAWN
