"""Over-long filter text is cut to fit and searched, and the page says so; it is never dropped
silently (which showed everything, as if nothing had been asked)."""

import pytest
from django.urls import reverse

from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

LONG_SEARCH = "fraud " * 500  # 3,000 characters, as pasted by mistake


def test_an_over_long_search_is_cut_and_said_not_ignored(rep_client, references):
    response = rep_client.get("/sales/search/", {"q": LONG_SEARCH})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your search text was longer than 200 characters; it was cut to the first 200" in page
    assert response.context["filters"].q == LONG_SEARCH[:200].strip()  # searched, not dropped
    assert "4 references" not in page  # not everything, as if no words were given


def test_the_results_fragment_says_what_was_cut_too(rep_client, references):
    response = rep_client.get("/sales/search/", {"q": LONG_SEARCH}, headers={"HX-Request": "true"})

    assert "it was cut to the first 200" in response.content.decode()


def test_the_api_refuses_an_over_long_search_naming_the_field(rep_client, references):
    response = rep_client.get("/api/references/", {"q": LONG_SEARCH})

    assert response.status_code == 400 and "q" in response.json()["error"]["fields"]


def test_an_over_long_deal_search_is_cut_and_said(rep_client, sales_rep):
    factories.make_opportunity(sales_rep, prospect_name="Prospect Bank")

    response = rep_client.get(reverse("sales:opportunities"), {"q": "Zebra " * 500})

    page = response.content.decode()
    assert "Your search text was longer than 100 characters; it was cut to the first 100" in page
    assert "Prospect Bank" not in page  # the cut words are searched: they match no deal


def test_an_over_long_account_name_filter_is_cut_and_said(manager_client, account_owner):
    factories.make_account(account_owner, name="Acme Savings")

    response = manager_client.get(reverse("manage:accounts"), {"q": "Zebra " * 500})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your search text was longer than 100 characters; it was cut to the first 100" in page
    assert "Acme Savings" not in page
