"""The prospect's kind in the contact's language: a German contact reads the deal's industry and
size band in German on My asks, an ask, Verify, My history and Feedback; an industry an
administrator added later reads as stored."""

import pytest
from django.urls import reverse

from references.models import Contact, Industry, Opportunity
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db

GERMAN = ("Finanz- und Versicherungsdienstleistungen", "Groß (1.000–9.999)")
ENGLISH = ("Finance and Insurance", "Large (1,000–9,999)")


def speaks(contact, language):
    Contact.objects.filter(pk=contact.pk).update(language=language)


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


@pytest.fixture
def done(sales_rep, manager, customer_contact):
    return drive_to(make_request(sales_rep, customer_contact), "completed", customer_contact, manager)


def ask_pages(client, ask) -> dict[str, str]:
    verify = client.post(reverse("customer:verify"), {"code": ask.verification_code_text})
    return {
        "asks": client.get(reverse("customer:asks")).content.decode(),
        "ask": client.get(reverse("customer:ask", args=[ask.pk])).content.decode(),
        "verify": verify.content.decode(),
    }


def done_pages(client, done) -> dict[str, str]:
    return {
        "history": client.get(reverse("customer:history")).content.decode(),
        "feedback": client.get(reverse("customer:feedback", args=[done.pk])).content.decode(),
    }


def test_the_seeded_prospect_is_the_one_asserted(asked, done):
    for request in (asked, done):
        assert (request.opportunity.industry.name, request.opportunity.size_band.name) == ENGLISH


def test_a_german_contact_reads_industry_and_size_band_in_german_on_every_page(
    portal_client, customer_contact, asked, done
):
    speaks(customer_contact, "de")
    client = portal_client(customer_contact)
    pages = ask_pages(client, asked) | done_pages(client, done)
    for name, text in pages.items():
        for german in GERMAN:
            assert german in text, (name, german)
        for english in ENGLISH:
            assert english not in text, (name, english)


def test_an_english_contact_reads_them_as_seeded(portal_client, customer_contact, asked, done):
    speaks(customer_contact, "en")
    client = portal_client(customer_contact)
    for name, text in (ask_pages(client, asked) | done_pages(client, done)).items():
        assert all(english in text for english in ENGLISH), name


def test_an_industry_an_administrator_added_reads_as_stored(portal_client, customer_contact, asked, done):
    added = Industry.objects.create(naics_code="9901", name="Space Tourism", sort_order=99)
    Opportunity.objects.filter(pk__in=[asked.opportunity_id, done.opportunity_id]).update(industry=added)
    speaks(customer_contact, "de")
    client = portal_client(customer_contact)
    for name, text in (ask_pages(client, asked) | done_pages(client, done)).items():
        assert "Space Tourism" in text and "Groß (1.000–9.999)" in text, name
