"""Erasure: asking, carrying it out, and no trace of the person left in any table's text."""

import pytest
from django.apps import apps
from django.db.models import CharField, TextField

from core.errors import Conflict, NotAllowed
from customers.erasure.plan import classified_fields
from customers.erasure.services import contact_erase, erasure_ask
from customers.export import contact_export
from customers.models import ErasureRequest, PortalSession
from customers.notices import ERASURE_REQUESTED
from customers.sessions import portal_session_start
from matching.models import SearchDocument
from notifications.kinds import Channel
from notifications.models import Notification, Status
from references.models import Account, ReferenceActivity, ReferenceStatus
from requests_app.models import ReferenceRequest, RequestCandidate
from tests.builders import catalogue
from tests.builders.search import index
from tests.customers import scenario
from webhooks.models import Message


def test_every_text_column_of_every_model_is_classified_by_the_erasure_plan():
    planned = classified_fields()
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, CharField | TextField) and not field.choices
        if (model._meta.label, field.name) not in planned
    ]
    assert missing == [], "Say in customers/erasure/plan.py what erasing does to: " + ", ".join(missing)


@pytest.fixture
def world(manager, sales_rep, account_owner):
    return scenario.build(manager=manager, sales_rep=sales_rep, account_owner=account_owner)


def _counts(contact):
    return {
        "activities": ReferenceActivity.objects.filter(contact=contact).count(),
        "account_activities": ReferenceActivity.objects.filter(account=contact.account_id).count(),
        "chosen": ReferenceRequest.objects.filter(chosen_contact=contact).count(),
        "candidacies": RequestCandidate.objects.filter(contact=contact).count(),
        "requests": ReferenceRequest.objects.count(),
    }


def test_erasure_leaves_no_marker_in_any_table_and_the_counts_stay(world, manager, account_owner):
    contact = world["contact"]
    scenario.plant(contact)
    # Far from them: another account's note and a staff message naming them in full.
    elsewhere = catalogue.make_account(account_owner, name="Elsewhere Ltd")
    elsewhere.notes.create(body=f"Met {scenario.FIRST} {scenario.LAST} at a fair.")
    Account.objects.filter(pk=world["account"].pk).update(reference_story=scenario.MENTION)
    index()
    assert SearchDocument.objects.filter(story__icontains=scenario.FIRST).exists()
    assert scenario.leftovers()  # the markers are there to be found
    before = _counts(contact)

    portal_session_start(contact=contact)
    erasure = erasure_ask(contact=contact)
    contact_erase(erasure_id=erasure.pk, actor=manager)

    assert scenario.leftovers() == []
    assert not PortalSession.objects.filter(contact=contact).exists()
    unsent = Notification.objects.filter(contact=contact, status__in=(Status.PENDING, Status.HELD))
    assert not unsent.exists()  # nothing goes to the placeholder address
    assert _counts(contact) == before
    contact.refresh_from_db()
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert contact.email == f"erased-{contact.pk}@invalid"
    assert contact.status == ReferenceStatus.RETIRED
    erasure.refresh_from_db()
    assert not erasure.is_open and erasure.done_by == manager


@pytest.mark.postgres  # whole words: SQLite (development) replaces the exact spelling anywhere
def test_lone_names_are_replaced_only_near_the_contact(world, manager, account_owner):
    contact, other = world["contact"], world["other"]
    far = catalogue.make_account(account_owner, name="Elsewhere Ltd")
    near_note = world["account"].notes.create(
        body=f"{scenario.FIRST} liked it. Zorblaxian {other.first_name}."
    )
    far_note = far.notes.create(body=f"Another {scenario.FIRST}.")
    contact_erase(erasure_id=erasure_ask(contact=contact).pk, actor=manager)
    near_note.refresh_from_db()
    far_note.refresh_from_db()
    assert near_note.body == f"Erased contact #{contact.pk} liked it. Zorblaxian {other.first_name}."
    assert far_note.body == f"Another {scenario.FIRST}."


def test_asking_twice_makes_one_request(customer_contact):
    first = erasure_ask(contact=customer_contact)
    again = erasure_ask(contact=customer_contact)
    assert first.pk == again.pk
    assert ErasureRequest.objects.filter(contact=customer_contact).count() == 1


def test_only_a_reference_manager_carries_it_out(customer_contact, sales_rep, manager):
    erasure = erasure_ask(contact=customer_contact)
    with pytest.raises(NotAllowed):
        contact_erase(erasure_id=erasure.pk, actor=sales_rep)
    contact_erase(erasure_id=erasure.pk, actor=manager)
    with pytest.raises(Conflict):
        contact_erase(erasure_id=erasure.pk, actor=manager)


def test_the_export_holds_the_planted_values_and_no_prospect(world):
    contact = world["contact"]
    scenario.plant(contact)
    document = contact_export(contact=contact)
    text = str(document)
    assert scenario.EMAIL in text and scenario.PHONE in text and "Chief Zorblax" in text
    assert {r["id"] for r in document["requests"]} == {world["done"].pk, world["asked"].pk}
    for request in (world["done"], world["asked"]):
        assert request.opportunity.prospect_name not in text
    assert "Marker Industries" in text
    assert document["feedback"][0]["comment"].startswith(scenario.MENTION)
    assert document["preferences"]["topics_to_avoid"].startswith(scenario.MENTION)
    assert document["give_back"][0]["note"].startswith(scenario.MENTION)
    assert document["give_back"][0]["message"].startswith(scenario.MENTION)


def test_the_reference_managers_are_told_once(customer_contact, manager, second_manager):
    erasure_ask(contact=customer_contact)
    erasure_ask(contact=customer_contact)
    told = Notification.objects.filter(kind=ERASURE_REQUESTED.code)
    assert {n.user for n in told} == {manager, second_manager}
    assert told.filter(channel=Channel.IN_APP).count() == 2
    assert all(customer_contact.full_name in n.title for n in told)


def test_the_export_holds_what_they_wrote_when_they_volunteered(customer_contact):
    """Their offer on the public page (found by their email, not yet tied to their contact row)
    is theirs: the export holds what they wrote and the consent they gave, when."""
    from requests_app.models import Nomination
    from workflows.volunteers import Offer, nomination_volunteer

    nomination_volunteer(
        offer=Offer(
            name="Grace Globex",
            email=customer_contact.email.upper(),
            company="Globex",
            title="CIO",
            offer="Happy to speak at a webinar about our rollout.",
        )
    )
    assert Nomination.objects.get().contact is None

    document = contact_export(contact=customer_contact)

    [offer] = document["nominations"]
    assert offer["reason"] == "Happy to speak at a webinar about our rollout."
    assert offer["consent_text"] and offer["consented_at"] is not None


def test_published_content_featuring_the_contact_is_withdrawn(customer_contact, manager, marketer):
    from marketing.models import Asset
    from marketing.statuses import AssetStatus
    from tests.builders.library import make_asset

    theirs = make_asset(marketer, title="Their quote")
    theirs.contacts.add(customer_contact)
    other = make_asset(marketer, title="Someone else's story")
    contact_erase(erasure_id=erasure_ask(contact=customer_contact).pk, actor=manager)
    assert Asset.objects.get(pk=theirs.pk).status == AssetStatus.WITHDRAWN
    assert Asset.objects.get(pk=other.pk).status == AssetStatus.PUBLISHED
    assert not Asset.objects.visible_to(marketer).shareable().filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_the_scan_reads_json_columns_too():
    """A payload (a webhook's, an import's summary) is text as well: a marker there is found."""
    assert scenario.leftovers() == []
    Message.objects.create(event_type="request.status_changed", payload={"who": scenario.EMAIL})
    assert [table for table, _column, _rows in scenario.leftovers()] == [Message._meta.db_table]
