"""Shareable public links: made only for published public assets, opened only while they still
are, and never forged."""

import pytest
from django.core import signing

from core.errors import NotAllowed
from marketing.sharing import SALT, share_token, shared_asset
from marketing.statuses import AssetStatus, UsageRights
from tests.builders.library import make_asset


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
