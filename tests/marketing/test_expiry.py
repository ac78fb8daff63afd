"""The daily expiry job: it unpublishes what passed its review-by day or lost a permission it
needs (through the workflow's writer, as the system), tells the owner, warns 30 and 7 days ahead,
and a second run writes nothing twice."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from marketing.expiry import PERMISSION_ENDED, REVIEW_PASSED, assets_expire
from marketing.models import AccountPermission, Asset, AssetEvent
from marketing.notices import ASSET_EXPIRED, ASSET_EXPIRING
from marketing.rights import lacking_permission
from marketing.statuses import NEEDED_PERMISSION, AssetKind, AssetStatus, PermissionKind, PermissionState
from marketing.tasks import expire_assets
from notifications.models import Notification
from tests.builders import catalogue
from tests.builders.marketing import grant, grant_needed, make_asset

TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


def keys(kind) -> list[str]:
    return sorted(set(Notification.objects.filter(kind=kind.code).values_list("key", flat=True)))


@pytest.fixture
def published(marketer, manager, customer_account):
    def make(review_in: int = 365, kind=AssetKind.CASE_STUDY, **grant_options):
        grant_needed(customer_account, kind, marketer, **grant_options)
        return make_asset(
            marketer,
            accounts=[customer_account],
            kind=kind,
            review_by=days(review_in),
            status=AssetStatus.PUBLISHED,
            approver=manager,
        )

    return make


def test_an_asset_past_its_review_by_day_is_unpublished_by_the_system_and_its_owner_told(published, marketer):
    asset = published(review_in=10)
    assert assets_expire(today=days(10)).expired == 0  # its last day
    result = assets_expire(today=days(11))
    asset.refresh_from_db()
    assert (result.expired, asset.status) == (1, AssetStatus.EXPIRED)
    event = asset.events.latest("id")
    assert (event.action, event.actor, event.from_status, event.note) == (
        "expire",
        None,
        "published",
        REVIEW_PASSED,
    )
    assert Notification.objects.filter(kind=ASSET_EXPIRED.code, user=marketer).exists()


def test_a_second_run_writes_nothing_twice(published):
    published(review_in=3)
    published(review_in=20)
    first = assets_expire(today=days(4))
    rows = Notification.objects.count(), AssetEvent.objects.count()
    again = assets_expire(today=days(4))
    assert (first.expired, again.expired) == (1, 0)
    assert (Notification.objects.count(), AssetEvent.objects.count()) == rows


def test_an_expired_permission_unpublishes_the_asset(published, customer_account):
    asset = published(expires_on=days(5))
    assert assets_expire(today=days(5)).expired == 0
    assert assets_expire(today=days(6)).expired == 1
    asset.refresh_from_db()
    assert asset.status == AssetStatus.EXPIRED and asset.events.latest("id").note == PERMISSION_ENDED


def test_a_withdrawn_permission_unpublishes_the_asset_at_once(published, customer_account, marketer):
    asset = published(kind=AssetKind.QUOTE)
    untouched = published(kind=AssetKind.CASE_STUDY)
    grant(customer_account, PermissionKind.QUOTE, marketer, state=PermissionState.DENIED)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.EXPIRED and asset.events.latest("id").note == PERMISSION_ENDED
    assert Notification.objects.filter(kind=ASSET_EXPIRED.code, user=marketer).exists()
    assert Asset.objects.get(pk=untouched.pk).status == AssetStatus.PUBLISHED  # its permission holds
    assert assets_expire().expired == 0  # nothing left for the nightly run


def test_another_kinds_permission_does_not_keep_it_published(published, customer_account, marketer):
    asset = published(kind=AssetKind.PRESS_RELEASE)
    grant(customer_account, PermissionKind.LOGO, marketer)
    grant(customer_account, PermissionKind.PRESS, marketer, state=PermissionState.UNKNOWN)
    assets_expire()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.EXPIRED


def test_the_owner_is_warned_30_and_7_days_before_once_each(published, marketer):
    asset = published(review_in=30)
    assets_expire(today=days(0))
    assets_expire(today=days(1))
    assert keys(ASSET_EXPIRING) == [f"asset-expiring:{asset.pk}:{days(30).isoformat()}:30"]
    assets_expire(today=days(23))
    assets_expire(today=days(24))
    assert keys(ASSET_EXPIRING) == [
        f"asset-expiring:{asset.pk}:{days(30).isoformat()}:30",
        f"asset-expiring:{asset.pk}:{days(30).isoformat()}:7",
    ]
    assert set(Notification.objects.filter(kind=ASSET_EXPIRING.code).values_list("user", flat=True)) == {
        marketer.pk
    }


def test_an_asset_already_within_7_days_gets_only_the_7_day_warning(published):
    asset = published(review_in=5)
    assets_expire(today=days(0))
    assert keys(ASSET_EXPIRING) == [f"asset-expiring:{asset.pk}:{days(5).isoformat()}:7"]


def test_a_permission_ending_soon_warns_too_and_says_so(published):
    asset = published(expires_on=days(20))
    assets_expire(today=days(0))
    assert keys(ASSET_EXPIRING) == [f"asset-expiring:{asset.pk}:{days(20).isoformat()}:30"]
    assert "case study permission ends" in Notification.objects.filter(kind=ASSET_EXPIRING.code).first().body


def test_a_renewed_review_date_warns_again(published):
    asset = published(review_in=25)
    assets_expire(today=days(0))
    Asset.objects.filter(pk=asset.pk).update(review_by=days(28))
    assets_expire(today=days(0))
    assert len(keys(ASSET_EXPIRING)) == 2


def test_the_celery_task_runs_the_service(published):
    published(review_in=5)
    assert expire_assets() == {"expired": 0, "warned": 1}


def test_the_set_based_rule_agrees_with_the_row_by_row_one_on_random_programs(marketer, account_owner):
    """`lacking_permission` (SQL) against the plain rule, per asset, on random permissions."""
    rng = random.Random(16)
    accounts = [catalogue.make_account(account_owner, name=f"Acct {i}") for i in range(5)]
    assets = []
    for i in range(30):
        kind = rng.choice(AssetKind.values)
        assets.append(
            make_asset(marketer, accounts=rng.sample(accounts, rng.randint(0, 3)), kind=kind, title=f"A{i}")
        )
    for account in accounts:
        for kind in PermissionKind.values:
            state = rng.choice(PermissionState.values)
            expires = rng.choice([None, days(-1), days(0), days(3)])
            AccountPermission.objects.create(account=account, kind=kind, state=state, expires_on=expires)
    for on in (days(0), days(1), days(4)):
        lacking = set(Asset.objects.filter(lacking_permission(on)).values_list("pk", flat=True))
        by_row = set()
        for asset in assets:
            needed = NEEDED_PERMISSION[asset.kind]
            for account in asset.accounts.all():
                permission = account.permissions.filter(kind=needed).first()
                if permission is None or not permission.in_force_on(on):
                    by_row.add(asset.pk)
        assert lacking == by_row
