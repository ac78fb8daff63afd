"""My data in German: the activity types, the requests' statuses and the consent ledger's what
and how are written in the contact's language, not in the staff's English labels."""

import pytest
from django.urls import reverse

from customers import preferences as portal_preferences
from customers.words import CONSENT_WORDS, REQUEST_STATUS_WORDS
from references.models import ConsentMethod, ConsentSubject, Contact
from requests_app.statuses import RequestStatus
from tests.builders.requests import drive_to, make_request


def test_the_words_are_the_labels_of_the_choices():
    assert set(REQUEST_STATUS_WORDS) == set(RequestStatus.labels)
    assert set(CONSENT_WORDS) == set(ConsentSubject.labels) | set(ConsentMethod.labels)


@pytest.mark.django_db
def test_the_data_page_speaks_german(portal_client, customer_contact, sales_rep, manager):
    drive_to(make_request(sales_rep, customer_contact), "completed", customer_contact, manager)
    portal_preferences.opt_out(contact=customer_contact)
    Contact.objects.filter(pk=customer_contact.pk).update(language="de")

    text = portal_client(customer_contact).get(reverse("customer:data")).content.decode()

    assert "Referenzgespräch" in text and "Durchgeführt" in text
    assert "Teilnahme am Referenzprogramm" in text and "Von Ihnen, im Kundenportal" in text
    for english in ("Reference call", "Completed", "Taking part in the reference program", "By the contact"):
        assert english not in text, english
