"""The words of the staff portals: "deal" throughout, the search's activity type carried into the
request, and confirmations that say what happened and who has the request now."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from core.roles import Role
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, submit
from workflows.models import Task

pytestmark = pytest.mark.django_db


def test_the_request_form_and_the_managers_request_page_say_deal(
    client, sales_rep, manager, deal, references
):
    client.force_login(sales_rep)
    page = client.get("/sales/requests/new/", {"contact": [references["full"].pk]}).content.decode()
    assert "Opportunity" not in page and '<label for="id_opportunity">Deal' in page

    request = submit(sales_rep, deal, references["full"])
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[request.pk])).content.decode()
    assert "Opportunity" not in page and ">Deal</h2>" in page


def test_the_activity_type_searched_for_prefills_the_request(rep_client, deal, references):
    call = factories.activity_type("reference_call")
    search = rep_client.get("/sales/search/", {"opportunity": deal.pk, "activity": call.pk})
    assert search.context["page"].cards
    picked = {"contact": references["full"].pk}

    # From the results' "Request selected" button…
    from_results = rep_client.get(
        f"/sales/requests/new/?{urlencode({**picked, **search.context['request_query']})}"
    )
    # …and from a reference's page opened from the results.
    detail = rep_client.get(f"/sales/references/{references['full'].pk}/?{search.context['detail_query']}")
    from_detail = rep_client.get(f"/sales/requests/new/?{detail.context['request_query']}")

    for response in (from_results, from_detail):
        assert response.context["form"]["activity_type"].value() == call.pk
        assert f'<option value="{call.pk}" selected>' in response.content.decode()


def test_answering_the_programs_question_says_who_has_the_request_now(
    rep_client, sales_rep, manager, deal, references
):
    contact = references["full"]
    request = drive_to(submit(sales_rep, deal, contact), "needs_info", contact, manager)

    response = rep_client.post(
        f"/sales/requests/{request.pk}/act/", {"action": "provide_info", "note": "EMEA rollout"}, follow=True
    )

    page = response.content.decode()
    assert (
        f"Your answer was sent to Maria Manager; request #{request.pk} is back with the reference team "
        "(in review)." in page
    )
    assert "Done." not in page


def test_asking_the_requester_says_who_was_asked(manager_client, manager, ref_request, customer_contact):
    drive_to(ref_request, "in_review", customer_contact, manager)

    response = manager_client.post(
        reverse("manage:request-act", args=[ref_request.pk]),
        {"action": "ask_info", "note": "Which product?"},
        follow=True,
    )

    assert (
        f"Your question was sent to Sally Seller; request #{ref_request.pk} waits for their answer."
        in response.content.decode()
    )


def test_task_confirmations_name_the_task(client, manager, ref_request, customer_contact):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    colleague = factories.make_user("carl", Role.MANAGER, first_name="Carl", last_name="Care")
    client.force_login(manager)
    task = Task.objects.get(request=ref_request, status="open")

    reassigned = client.post(
        reverse("tasks:reassign", args=[task.pk]), {"assignee": colleague.pk}, follow=True
    )
    assert f"“{task.title}” (request #{ref_request.pk}) is now with Carl Care." in reassigned.content.decode()

    client.force_login(colleague)
    done = client.post(reverse("tasks:complete", args=[task.pk]), follow=True)
    assert f"“{task.title}” (request #{ref_request.pk}) is done." in done.content.decode()


def test_bulk_assignment_says_to_whom(manager_client, manager, ref_request):
    response = manager_client.post(
        reverse("manage:bulk"),
        {"ids": [ref_request.pk], "action": "reassign", "assignee": manager.pk},
        follow=True,
    )

    assert "1 request(s) assigned to Maria Manager." in response.content.decode()
