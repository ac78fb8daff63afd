"""Shareable public links: made only for published public assets, opened only while they still
are, and never forged."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from core.errors import NotAllowed
from marketing.models import AccountPermission, Asset, AssetUse
from marketing.sharing import SALT, share_token, shared_asset
from marketing.statuses import AssetStatus, PermissionState, UsageRights
from marketing.uses import asset_use_record
from tests.builders import catalogue
from tests.builders.library import make_asset
from tests.builders.marketing import grant, grant_needed
from tests.builders.marketing import make_asset as make_published


def test_a_published_public_asset_gets_a_link_that_opens_it(marketer):
    asset = make_asset(marketer)

    token = share_token(asset)

    assert shared_asset(token) == asset
    assert len(token.rsplit(":", 1)[-1]) >= 40  # an HMAC signature, not a guessable number


@pytest.mark.parametrize(
    ("status", "rights"),
    [
        (AssetStatus.PUBLISHED, UsageRights.INTERNAL),
        (AssetStatus.PUBLISHED, UsageRights.NDA),
        (AssetStatus.LEGAL_REVIEW, UsageRights.PUBLIC),
        (AssetStatus.EXPIRED, UsageRights.PUBLIC),
    ],
)
def test_no_link_is_made_for_an_asset_that_may_not_leave_the_company(marketer, status, rights):
    asset = make_asset(marketer, status=status, rights=rights)

    with pytest.raises(NotAllowed):
        share_token(asset)
    # Nor does a link signed for it some other way open it.
    assert shared_asset(signing.dumps(asset.pk, salt=SALT)) is None


@pytest.mark.parametrize(
    "change",
    [
        {"usage_rights": UsageRights.INTERNAL},
        {"usage_rights": UsageRights.NDA},
        {"status": AssetStatus.WITHDRAWN},
        {"status": AssetStatus.EXPIRED},
    ],
)
def test_a_link_stops_opening_once_the_asset_is_no_longer_public_and_published(marketer, change):
    asset = make_asset(marketer)
    token = share_token(asset)

    type(asset).objects.filter(pk=asset.pk).update(**change)

    assert shared_asset(token) is None


def test_forged_and_tampered_tokens_open_nothing(marketer):
    asset = make_asset(marketer)
    other = make_asset(marketer)
    token = share_token(asset)

    assert shared_asset(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert shared_asset(signing.dumps(other.pk, salt="another purpose")) is None
    assert shared_asset(signing.dumps(str(other.pk), salt=SALT)) is None  # only an id signed by us
    assert shared_asset("nonsense") is None


def _published_case_study(marketer, manager, account):
    grant_needed(account, "case_study", marketer)
    return make_published(marketer, accounts=[account], status=AssetStatus.PUBLISHED, approver=manager)


def test_a_link_stops_opening_the_moment_the_customer_withdraws_consent(marketer, manager):
    # A denial expires the asset at once (marketing.permissions); the link checks it live anyway.
    account = catalogue.make_account(catalogue.make_user("owen"), name="Initech")
    asset = _published_case_study(marketer, manager, account)
    token = share_token(asset)
    assert shared_asset(token) == asset

    grant(account, "case_study", marketer, state=PermissionState.DENIED)

    assert shared_asset(token) is None
    with pytest.raises(NotAllowed):
        share_token(asset)


def test_a_link_does_not_open_past_the_review_day_or_a_permissions_expiry(marketer, manager):
    # Midnight passed, the job has not run yet: the asset is still "published" in the table.
    account = catalogue.make_account(catalogue.make_user("owen"), name="Initech")
    asset = _published_case_study(marketer, manager, account)
    other = _published_case_study(marketer, manager, account)
    token, other_token = share_token(asset), share_token(other)
    yesterday = timezone.localdate() - timedelta(days=1)

    Asset.objects.filter(pk=asset.pk).update(review_by=yesterday)
    assert shared_asset(token) is None
    assert shared_asset(other_token) == other

    AccountPermission.objects.filter(account=account).update(expires_on=yesterday)
    assert shared_asset(other_token) is None


def test_a_rep_cannot_record_a_link_use_once_consent_ran_out_before_the_nightly_job(
    marketer, manager, sales_rep
):
    account = catalogue.make_account(catalogue.make_user("owen"), name="Initech")
    asset = _published_case_study(marketer, manager, account)
    # The grant ended yesterday; the job that unpublishes has not run yet (a denial expires at once).
    AccountPermission.objects.filter(account=account).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.PUBLISHED

    with pytest.raises(NotAllowed, match="shared by a link"):
        asset_use_record(asset=asset, user=sales_rep, how=AssetUse.How.LINK, campaign="Launch")
    assert not AssetUse.objects.exists()
