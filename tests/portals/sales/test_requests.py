"""Requesting references and following the requests: My requests, detail, cancel, feedback."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import InvalidInput
from requests_app.models import ReferenceRequest, RequestEvent, RequestFeedback
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, submit
from tests.builders.search import contact_secrets
from workflows.models import Task


def form_data(deal, *contacts, **overrides):
    data = {
        "contact": [c.pk for c in contacts],
        "first_choice": contacts[0].pk if contacts else "",
        "second_choice": contacts[1].pk if len(contacts) > 1 else "",
        "third_choice": contacts[2].pk if len(contacts) > 2 else "",
        "opportunity": deal.pk,
        "activity_type": factories.activity_type("reference_call").pk,
        "needed_by": (date.today() + timedelta(days=10)).isoformat(),
        "prospect_contact_role": factories.persona("technical").pk,
        "notes": "Their CFO wants a peer view.",
    }
    return {**data, **overrides}


def test_requesting_creates_a_submitted_request_with_its_history(rep_client, sales_rep, deal, references):
    chosen = [references["product"], references["full"]]

    response = rep_client.post("/sales/requests/new/", form_data(deal, *chosen))

    request = ReferenceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sales/requests/{request.pk}/"
    assert request.status == "submitted" and request.requester == sales_rep and request.opportunity == deal
    assert [c.contact for c in request.candidates.order_by("preference")] == chosen
    assert request.prospect_contact_role.code == "technical"
    event = RequestEvent.objects.get(request=request)
    assert (event.action, event.to_status, event.actor) == ("submit", "submitted", sales_rep)
    assert Task.objects.filter(request=request, status="open").exists()  # the workflow took over
    page = rep_client.get(response["Location"]).content.decode()
    assert "submitted the request" in page and "Sally Seller" in page


def test_the_request_form_shows_the_picked_references_in_order(rep_client, deal, references):
    picked = [references["none"], references["full"]]

    response = rep_client.get(
        "/sales/requests/new/", {"contact": [c.pk for c in picked], "opportunity": deal.pk, "activity": 1}
    )

    form = response.context["form"]
    assert (form["first_choice"].value(), form["second_choice"].value()) == (picked[0].pk, picked[1].pk)
    assert form["opportunity"].value() == deal.pk
    page = response.content.decode()
    assert page.index("Delta Foods") < page.index("Acme Savings")


def test_the_form_warns_about_a_reference_at_its_limit_without_blocking(rep_client, deal, references):
    today = timezone.localdate()
    busy, free = references["full"], references["none"]
    for days_ago in (70, 50, 30, 20):  # at the window's cap today, past the rest after each
        factories.make_activity(busy, today - timedelta(days=days_ago))
    frees_on = today - timedelta(days=70) + timedelta(days=90)  # after the default needed-by date
    call = factories.activity_type("reference_call")

    response = rep_client.get(
        "/sales/requests/new/", {"contact": [busy.pk, free.pk], "opportunity": deal.pk, "activity": call.pk}
    )

    warnings = response.context["limit_warnings"]
    assert warnings == [
        (
            f"{busy.first_name} {busy.last_name}",
            f"Resting: 4 of 4 used in 90 days — available from {frees_on:%d %b %Y}",
        )
    ]
    page = response.content.decode()
    assert "Resting: 4 of 4 used in 90 days" in page and page.count("limit-warning") == 1

    needed_by = (today + timedelta(days=5)).isoformat()
    response = rep_client.post("/sales/requests/new/", form_data(deal, busy, free, needed_by=needed_by))

    request = ReferenceRequest.objects.get()  # submitted all the same: approval enforces limits
    assert response.status_code == 302 and request.status == "submitted"
    page = rep_client.get(response["Location"]).content.decode()
    assert "Resting: 4 of 4 used in 90 days" in page


def test_the_form_has_no_warning_when_every_reference_is_free(rep_client, deal, references):
    response = rep_client.get(
        "/sales/requests/new/",
        {"contact": [references["full"].pk], "activity": factories.activity_type("reference_call").pk},
    )

    assert response.context["limit_warnings"] == []
    assert "limit-warning" not in response.content.decode()


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("past needed-by date", "needed_by"),
        ("needed today", "needed_by"),
        ("unknown activity type", "activity_type"),
        ("tampered contact id", "first_choice"),
        ("opted-out contact id", "first_choice"),
        ("another rep's deal", "opportunity"),
        ("same reference twice", None),
        ("no reference", "first_choice"),
    ],
)
def test_bad_input_gives_a_form_error_and_creates_nothing(
    rep_client, other_rep, deal, references, case, field
):
    full = references["full"]
    data = {
        "past needed-by date": form_data(
            deal, full, needed_by=(date.today() - timedelta(days=1)).isoformat()
        ),
        "needed today": form_data(deal, full, needed_by=date.today().isoformat()),
        "unknown activity type": form_data(deal, full, activity_type=987654),
        "tampered contact id": form_data(deal, full, first_choice=full.pk + 1000),
        "opted-out contact id": form_data(
            deal, full, contact=[references["opted_out"].pk], first_choice=references["opted_out"].pk
        ),
        "another rep's deal": form_data(deal, full, opportunity=factories.make_opportunity(other_rep).pk),
        "same reference twice": form_data(deal, full, references["none"], second_choice=full.pk),
        "no reference": form_data(deal, full, first_choice=""),
    }[case]

    response = rep_client.post("/sales/requests/new/", data)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field or "__all__"]
    assert not ReferenceRequest.objects.exists()
    assert not RequestEvent.objects.exists()


def test_a_duplicate_request_is_refused_with_a_link_to_the_open_one(rep_client, sales_rep, deal, references):
    first = submit(sales_rep, deal, references["full"])

    response = rep_client.post(
        "/sales/requests/new/", form_data(deal, references["none"], references["full"])
    )

    assert response.status_code == 400
    error = str(response.context["form"].errors["first_choice"])
    assert f"request #{first.pk}" in error and f'href="/sales/requests/{first.pk}/"' in error
    assert ReferenceRequest.objects.count() == 1


def test_an_activity_type_the_contact_does_not_do_is_refused(rep_client, deal, references):
    data = form_data(deal, references["full"], activity_type=factories.activity_type("site_visit").pk)

    response = rep_client.post("/sales/requests/new/", data)

    assert "does not do site visits" in str(response.context["form"].errors["activity_type"])
    assert not ReferenceRequest.objects.exists()


def test_more_than_three_picks_are_cut_to_three_with_a_warning(rep_client, deal, references):
    picks = [references[k].pk for k in ("full", "industry", "product", "none")]

    response = rep_client.get("/sales/requests/new/", {"contact": picks, "opportunity": deal.pk})

    assert "up to three references" in response.content.decode()
    with pytest.raises(InvalidInput):
        submit(response.wsgi_request.user, deal, *picks)


def test_my_requests_lists_only_mine_filtered_and_sorted(rep_client, sales_rep, other_rep, deal, references):
    soon = submit(sales_rep, deal, references["full"], needed_by=date.today() + timedelta(days=3))
    later = submit(sales_rep, deal, references["none"], needed_by=date.today() + timedelta(days=30))
    cancelled = submit(sales_rep, deal, references["product"])
    drive_to(cancelled, "cancelled", references["product"], None)
    theirs = submit(other_rep, factories.make_opportunity(other_rep), references["industry"])

    def listed(query=""):
        return [r.pk for r in rep_client.get(f"/sales/requests/?{query}").context["page"].object_list]

    assert listed("sort=needed_by") == [soon.pk, cancelled.pk, later.pk]  # needed in 3, 10, 30 days
    assert listed() == [later.pk, soon.pk, cancelled.pk]  # open first, the latest submitted on top
    assert theirs.pk not in listed()
    assert listed("group=open&sort=needed_by") == [soon.pk, later.pk]
    assert listed("group=open&sort=-needed_by") == [later.pk, soon.pk]
    assert listed("group=closed") == [cancelled.pk]
    assert listed("status=cancelled") == [cancelled.pk]
    page = rep_client.get("/sales/requests/").content.decode()
    assert "Acme Savings" in page and "Brightline Insurance" not in page


def test_a_request_just_made_opens_my_requests_above_older_and_closed_ones(
    rep_client, sales_rep, deal, references
):
    # A rep with history: requests needed soon that are long finished, one open for weeks.
    finished = []
    for contact in (references["product"], references["industry"]):
        old = submit(sales_rep, deal, contact, needed_by=date.today() + timedelta(days=2))
        finished.append(drive_to(old, "cancelled", contact, None))
    waiting = submit(sales_rep, deal, references["none"], needed_by=date.today() + timedelta(days=5))
    weeks_ago = timezone.now() - timedelta(days=20)
    ReferenceRequest.objects.filter(pk__in=[r.pk for r in [*finished, waiting]]).update(updated_at=weeks_ago)

    response = rep_client.post(
        "/sales/requests/new/",
        form_data(deal, references["full"], needed_by=(date.today() + timedelta(days=40)).isoformat()),
    )
    new = ReferenceRequest.objects.latest("pk")
    assert response.status_code == 302

    rows = [r.pk for r in rep_client.get("/sales/requests/").context["page"].object_list]
    assert rows[:2] == [new.pk, waiting.pk]  # open ones first, the latest activity on top
    assert set(rows[2:]) == {r.pk for r in finished}
    page = rep_client.get("/sales/requests/").content.decode()
    assert page.index(f"#{new.pk} ") < page.index(f"#{waiting.pk} ") < page.index(f"#{finished[0].pk} ")
    assert "Open first, latest activity on top" in page  # the sort it opened on is named


@pytest.mark.parametrize("query", ["sort=bogus", "group=nope", "status=zzz", "opportunity=abc", "page=-3"])
def test_my_requests_ignores_malformed_parameters(rep_client, query):
    assert rep_client.get(f"/sales/requests/?{query}").status_code == 200


def test_another_reps_request_is_404(rep_client, other_rep, references):
    theirs = submit(other_rep, factories.make_opportunity(other_rep), references["full"])

    assert rep_client.get(f"/sales/requests/{theirs.pk}/").status_code == 404
    assert rep_client.post(f"/sales/requests/{theirs.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert rep_client.post(f"/sales/requests/{theirs.pk}/feedback/", {"took_place": "no"}).status_code == 404
    assert rep_client.post(f"/sales/requests/{theirs.pk}/act/", {"action": "close"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_cancelling_needs_a_reason_and_is_recorded(rep_client, sales_rep, deal, references):
    request = submit(sales_rep, deal, references["full"])

    refused = rep_client.post(f"/sales/requests/{request.pk}/cancel/", {"reason": "  "})
    assert refused.status_code == 400 and refused.context["cancel_form"].errors["reason"]

    response = rep_client.post(f"/sales/requests/{request.pk}/cancel/", {"reason": "Deal slipped a quarter"})

    request.refresh_from_db()
    assert response.status_code == 302 and request.status == "cancelled"
    event = request.events.order_by("-id").first()
    assert (event.action, event.actor, event.note) == ("cancel", sales_rep, "Deal slipped a quarter")


def test_a_scheduled_request_can_no_longer_be_cancelled_by_the_rep(
    rep_client, sales_rep, manager, deal, references
):
    request = submit(sales_rep, deal, references["full"])
    drive_to(request, "scheduled", references["full"], manager)

    page = rep_client.get(f"/sales/requests/{request.pk}/").content.decode()
    assert "Cancel request" not in page
    response = rep_client.post(f"/sales/requests/{request.pk}/cancel/", {"reason": "Changed my mind"})

    request.refresh_from_db()
    assert response.status_code in (403, 409) and request.status == "scheduled"


def test_contact_details_show_on_the_request_page_only_once_approved(
    rep_client, sales_rep, manager, deal, references
):
    contact = references["full"]
    request = submit(sales_rep, deal, contact)
    secrets = contact_secrets(contact)

    for status in ("in_review", "awaiting_owner"):
        request = drive_to(request, status, contact, manager)
        page = rep_client.get(f"/sales/requests/{request.pk}/").content.decode()
        assert not any(secret in page for secret in secrets), status
        assert "appear here once the request is approved" in page

    request = drive_to(request, "customer_asked", contact, manager)

    page = rep_client.get(f"/sales/requests/{request.pk}/").content.decode()
    assert all(secret in page for secret in secrets)
    # Only there: not in My requests, nor in the search.
    for url in ("/sales/requests/", "/sales/search/", f"/sales/references/{contact.pk}/"):
        body = rep_client.get(url).content.decode()
        assert not any(secret in body for secret in secrets), url


def test_feedback_once_the_activity_is_done(rep_client, sales_rep, manager, deal, references):
    contact = references["full"]
    request = submit(sales_rep, deal, contact)
    early = rep_client.post(
        f"/sales/requests/{request.pk}/feedback/", {"took_place": "yes", "helpfulness": "4"}
    )
    assert early.status_code == 409 and not RequestFeedback.objects.exists()

    drive_to(request, "completed", contact, manager)
    assert "How did it go?" in rep_client.get(f"/sales/requests/{request.pk}/").content.decode()
    missing = rep_client.post(f"/sales/requests/{request.pk}/feedback/", {"took_place": "yes"})
    assert missing.status_code == 400 and missing.context["feedback_form"].errors["helpfulness"]

    response = rep_client.post(
        f"/sales/requests/{request.pk}/feedback/",
        {
            "took_place": "yes",
            "helpfulness": "4",
            "would_use_again": "yes",
            "outcome_note": "Moved to proposal",
        },
    )

    assert response.status_code == 302
    feedback = RequestFeedback.objects.get(request=request)
    assert (feedback.took_place, feedback.helpfulness, feedback.would_use_again) == (True, 4, True)
    assert request.events.filter(action="feedback", actor=sales_rep).exists()
    again = rep_client.post(f"/sales/requests/{request.pk}/feedback/", {"took_place": "no"})
    assert again.status_code == 409 and RequestFeedback.objects.count() == 1
    page = rep_client.get(f"/sales/requests/{request.pk}/").content.decode()
    assert "Your feedback" in page and "helpfulness 4/5" in page


def test_feedback_on_a_completed_request_closes_it(rep_client, sales_rep, manager, deal, references):
    contact = references["full"]
    request = drive_to(submit(sales_rep, deal, contact), "completed", contact, manager)

    rep_client.post(f"/sales/requests/{request.pk}/feedback/", {"took_place": "yes", "helpfulness": "5"})

    request.refresh_from_db()
    assert request.status == "closed"
    assert list(request.events.values_list("action", flat=True))[-2:] == ["feedback", "close"]


def test_the_rep_answers_a_question_from_the_program(rep_client, sales_rep, manager, deal, references):
    contact = references["full"]
    request = submit(sales_rep, deal, contact)
    drive_to(request, "needs_info", contact, manager)
    assert "Provide the information" in rep_client.get(f"/sales/requests/{request.pk}/").content.decode()

    response = rep_client.post(
        f"/sales/requests/{request.pk}/act/",
        {"action": "provide_info", "note": "Analytics Cloud, EMEA rollout"},
    )

    request.refresh_from_db()
    assert response.status_code == 302 and request.status == "in_review"
    unknown = rep_client.post(f"/sales/requests/{request.pk}/act/", {"action": "approve"})
    assert unknown.status_code == 400


def test_history_reads_who_did_what_and_when(rep_client, sales_rep, manager, deal, references):
    contact = references["full"]
    request = submit(sales_rep, deal, contact)
    drive_to(request, "awaiting_owner", contact, manager)

    page = rep_client.get(f"/sales/requests/{request.pk}/").content.decode()

    for words in (
        "Sally Seller</strong> submitted the request",
        "Maria Manager</strong> claimed",
        "approved",
    ):
        assert words in page


@pytest.mark.parametrize("size", [10, 200])
def test_my_requests_queries_do_not_grow(
    client, sales_rep, account_owner, size, django_assert_max_num_queries
):
    deal = factories.make_opportunity(sales_rep)
    contact = factories.make_contact(factories.make_account(account_owner))
    call = factories.activity_type("reference_call")
    ReferenceRequest.objects.bulk_create(
        ReferenceRequest(
            requester=sales_rep, opportunity=deal, activity_type=call, needed_by=timezone.localdate()
        )
        for _ in range(size)
    )
    from requests_app.models import RequestCandidate

    RequestCandidate.objects.bulk_create(
        RequestCandidate(request=r, contact=contact, preference=1) for r in ReferenceRequest.objects.all()
    )
    client.force_login(sales_rep)

    # Session, user, groups; the page count, the page, its candidates; the navigation's task
    # counts and unread notifications.
    with django_assert_max_num_queries(8):
        response = client.get("/sales/requests/")
    assert response.status_code == 200
    assert response.content.decode().count("/sales/requests/") >= min(size, 25)
