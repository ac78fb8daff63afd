"""Marketing's asset pages: create, see, edit a draft, move it through approval; sales reps
never get in, and an internal-only or NDA asset never becomes shareable."""

import pytest
from django.urls import reverse

from marketing.models import Asset
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from tests.builders import catalogue
from tests.builders.marketing import PDF_BYTES, grant_needed, make_asset, upload
from tests.builders.requests import make_campaign_request, make_planned_event
from tests.builders.search import product


@pytest.fixture
def marketing_client(client, marketer):
    client.force_login(marketer)
    return client


def form_data(owner, **extra) -> dict:
    return {
        "title": "Globex: fraud down 40%",
        "kind": "case_study",
        "usage_rights": "public",
        "owner": owner.pk,
    } | extra


def test_marketing_creates_an_asset_tied_to_accounts_and_taxonomies(
    marketing_client, marketer, customer_account
):
    analytics = product("Analytics Cloud")
    response = marketing_client.post(
        reverse("content:asset-new"),
        form_data(
            marketer,
            accounts=[customer_account.pk],
            products=[analytics.pk],
            industries=[customer_account.industry_id],
            summary="Fraud losses down 40% in a year.",
            review_by="2300-01-01",
        ),
    )
    assert response.status_code == 400  # 2099 is past the years RMS takes
    response = marketing_client.post(
        reverse("content:asset-new"),
        form_data(
            marketer,
            accounts=[customer_account.pk],
            products=[analytics.pk],
            industries=[customer_account.industry_id],
        ),
    )
    asset = Asset.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("content:asset", args=[asset.pk])
    assert asset.status == AssetStatus.DRAFT and asset.owner == marketer
    assert list(asset.accounts.all()) == [customer_account] and list(asset.products.all()) == [analytics]
    page = marketing_client.get(response["Location"]).content.decode()
    assert "Globex Bank" in page and "Send for customer approval" in page and "Created" in page


def test_a_quote_needs_the_customers_words(marketing_client, marketer):
    response = marketing_client.post(reverse("content:asset-new"), form_data(marketer, kind="quote"))
    assert response.status_code == 400
    assert response.context["form"].errors["quote_text"] == ["A quote needs the customer's words."]
    assert not Asset.objects.exists()


def test_a_video_is_a_link_or_an_upload(marketing_client, marketer):
    response = marketing_client.post(reverse("content:asset-new"), form_data(marketer, kind="video"))
    assert response.context["form"].errors["link_url"] == ["A video needs a link or an uploaded file."]
    response = marketing_client.post(
        reverse("content:asset-new"),
        form_data(marketer, kind="video", link_url="https://videos.example.com/globex"),
    )
    assert response.status_code == 302


def test_a_contact_must_work_at_one_of_the_accounts(
    marketing_client, marketer, customer_account, customer_contact
):
    other = catalogue.make_account(customer_account.owner, name="Hooli")
    response = marketing_client.post(
        reverse("content:asset-new"), form_data(marketer, accounts=[other.pk], contacts=[customer_contact.pk])
    )
    assert response.status_code == 400 and "contacts" in response.context["form"].errors


def test_the_owner_is_a_marketer_or_manager(marketing_client, sales_rep):
    response = marketing_client.post(reverse("content:asset-new"), form_data(sales_rep))
    assert response.status_code == 400 and "owner" in response.context["form"].errors


def test_only_a_draft_is_edited(marketing_client, marketer, customer_account):
    asset = make_asset(marketer, accounts=[customer_account], status=AssetStatus.CUSTOMER_APPROVAL)
    assert marketing_client.get(reverse("content:asset-edit", args=[asset.pk])).status_code == 409
    response = marketing_client.post(
        reverse("content:asset-edit", args=[asset.pk]), form_data(marketer, title="New")
    )
    assert response.status_code == 409
    asset.refresh_from_db()
    assert asset.title == "Aurora case study"


def test_editing_a_draft_keeps_an_edit_in_its_history(marketing_client, marketer):
    asset = make_asset(marketer)
    response = marketing_client.post(
        reverse("content:asset-edit", args=[asset.pk]), form_data(marketer, title="Aurora, revised")
    )
    assert response.status_code == 302
    assert [e.action for e in asset.events.all()] == ["create", "edit"]
    assert Asset.objects.get(pk=asset.pk).title == "Aurora, revised"


def test_the_page_moves_an_asset_through_approval_to_published(client, marketer, manager, customer_account):
    grant_needed(customer_account, AssetKind.CASE_STUDY, marketer)
    asset = make_asset(marketer, accounts=[customer_account])
    act = reverse("content:asset-act", args=[asset.pk])
    client.force_login(marketer)
    assert client.post(act, {"action": "submit", "expected_status": "draft"}).status_code == 302
    response = client.post(act, {"action": "customer_approved", "expected_status": "customer_approval"})
    assert response.status_code == 400 and "How the customer approved" in response.content.decode()
    client.post(
        act, {"action": "customer_approved", "expected_status": "customer_approval", "note": "Email, 2 May."}
    )
    assert (
        client.post(act, {"action": "publish", "expected_status": "legal_review"}).status_code == 403
    )  # the owner
    client.force_login(manager)
    assert client.post(act, {"action": "publish", "expected_status": "legal_review"}).status_code == 302
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.PUBLISHED
    # A second manager's page still showed legal review: a conflict, said on the page.
    response = client.post(act, {"action": "publish", "expected_status": "legal_review"})
    assert response.status_code == 409 and "published now" in response.content.decode()


def test_publishing_without_the_customers_permission_is_refused_with_its_reason(
    client, marketer, manager, customer_account
):
    asset = make_asset(marketer, accounts=[customer_account], status=AssetStatus.LEGAL_REVIEW)
    client.force_login(manager)
    response = client.post(reverse("content:asset-act", args=[asset.pk]), {"action": "publish"})
    assert response.status_code == 400
    assert "case study permission in force; not granted by: Globex Bank" in response.content.decode()


@pytest.mark.parametrize("rights", [UsageRights.INTERNAL, UsageRights.NDA])
def test_an_internal_or_nda_asset_never_becomes_shareable(marketer, manager, customer_account, rights):
    grant_needed(customer_account, AssetKind.CASE_STUDY, marketer)
    asset = make_asset(
        marketer,
        accounts=[customer_account],
        usage_rights=rights,
        status=AssetStatus.PUBLISHED,
        approver=manager,
    )
    assert not Asset.objects.shareable().filter(pk=asset.pk).exists()
    # Its rights cannot be loosened once past draft: the edit page refuses (see above), and the
    # admin shows them read-only.
    from marketing.admin import AssetAdmin

    assert "usage_rights" in AssetAdmin.readonly_fields


def test_sales_reps_never_reach_the_marketing_pages(client, sales_rep, marketer, customer_account):
    asset = make_asset(marketer, accounts=[customer_account])
    client.force_login(sales_rep)
    for name, args in [
        ("content:home", []),
        ("content:asset-new", []),
        ("content:asset", [asset.pk]),
        ("content:asset-edit", [asset.pk]),
        ("content:permissions", []),
        ("content:account-permissions", [customer_account.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert (
        client.post(reverse("content:asset-act", args=[asset.pk]), {"action": "withdraw"}).status_code == 403
    )


def test_an_unknown_asset_is_a_404(marketing_client):
    assert marketing_client.get(reverse("content:asset", args=[999999])).status_code == 404


def test_the_home_counts_link_to_their_lists(marketing_client, marketer, customer_account):
    make_asset(marketer, status=AssetStatus.CUSTOMER_APPROVAL)
    make_asset(marketer, status=AssetStatus.LEGAL_REVIEW)
    response = marketing_client.get(reverse("content:home"))
    counts = response.context["counts"]
    assert counts.waiting == 2 and counts.customers == 0
    assert {value: n for value, _, n in counts.by_status}["legal_review"] == 1
    assert reverse("content:customers") in response.content.decode()


def test_the_home_counts_the_marketers_campaign_requests_and_the_planned_events(
    marketing_client, marketer, customer_account
):
    press = catalogue.make_contact(customer_account, activity_types=("press_interview",))
    make_campaign_request(marketer, press, campaign="Launch tour")
    make_planned_event(marketer, catalogue.make_contact(customer_account), days=10)
    response = marketing_client.get(reverse("content:home"))
    assert response.context["campaigns"] == {"open": 1, "approved": 0, "total": 1}
    assert response.context["events"] == {"upcoming": 1, "to_record": 0, "recorded": 0}
    page = response.content.decode()
    assert reverse("content:campaigns") in page and reverse("content:events") in page


def test_a_keeper_opens_a_drafts_file_before_approving_it_and_a_rep_cannot(
    client, marketing_client, marketer, sales_rep, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = make_asset(marketer, upload=upload("story.pdf", PDF_BYTES, "application/pdf"))
    url = reverse("content:asset-file", args=[draft.pk])
    assert url in marketing_client.get(reverse("content:asset", args=[draft.pk])).content.decode()
    response = marketing_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(sales_rep)
    assert client.get(url).status_code == 403
    assert draft.uses.count() == 0  # reading it to approve it is not a use
