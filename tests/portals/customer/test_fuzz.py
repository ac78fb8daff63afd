from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db

ODD = [
    "٣",
    "²",
    "9" * 40,
    "-1",
    "0",
    "a\x00b",
    "",
    " ",
    "9999-12-31",
    "0001-01-01",
    "1e5",
    "NaN",
    "inf",
    "23:59:60",
    "24:00",
]


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def posts(client, url, fields, base=None):
    out = []
    for field in fields:
        for value in ODD + [["1", "2"]]:
            data = dict(base or {})
            data[field] = value
            try:
                resp = client.post(url, data)
            except Exception as e:
                out.append((url, field, value, repr(e)[:200]))
                continue
            if resp.status_code >= 500:
                out.append((url, field, value, resp.status_code))
    return out


def test_fuzz_everything(portal_client, asked, customer_contact):
    client = portal_client(customer_contact)
    client.raise_request_exception = True
    bad = []
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    base = {
        "date_1": day,
        "time_1": "10:00",
        "length_1": "60",
        "date_2": day,
        "time_2": "12:00",
        "length_2": "60",
    }
    fields = [f"{k}_{n}" for n in range(1, 6) for k in ("date", "time", "length")] + ["note"]
    bad += posts(client, reverse("customer:ask-accept", args=[asked.pk]), fields, base)
    bad += posts(client, reverse("customer:ask-decline", args=[asked.pk]), ["reason"])
    bad += posts(client, reverse("customer:verify"), ["code"])
    pbase = {"preferred_channel": "email", "language": "en", "time_zone": "Europe/Berlin"}
    bad += posts(
        client,
        reverse("customer:preferences"),
        [
            "activity_types",
            "own_cap_per_quarter",
            "preferred_channel",
            "language",
            "time_zone",
            "topics_to_avoid",
            "wants_in_return",
        ],
        pbase,
    )
    bad += posts(client, reverse("customer:preferences-pause"), ["days"])
    bad += posts(
        client,
        reverse("customer:preferences-blackouts"),
        ["start", "end", "reason"],
        {"start": day, "end": day},
    )
    bad += posts(client, reverse("customer:sign-in"), ["email", "next"], {"email": "a@b.test"})
    bad += posts(client, reverse("customer:erase"), ["confirm"])
    for url in [
        "/portal/asks/99999999999999999999/",
        "/portal/feedback/99999999999999999999/",
        "/portal/preferences/blackouts/99999999999999999999/remove/",
        "/portal/link/" + "a" * 50 + "/",
        "/portal/link/%00/",
        "/portal/sign-in/?next=%00",
        "/portal/sign-in/?next=/portal/%2e%2e/manage/",
    ]:
        try:
            r = client.get(url)
            if r.status_code >= 500:
                bad.append((url, r.status_code))
            r = client.post(url)
            if r.status_code >= 500:
                bad.append((url, "post", r.status_code))
        except Exception as e:
            bad.append((url, repr(e)[:200]))
    assert bad == []


def test_fuzz_query_strings(portal_client, customer_contact):
    client = portal_client(customer_contact)
    bad = []
    for value in ODD + ["99999999999999999999", "1.5", "%00"]:
        for url in [
            "/portal/history/",
            "/portal/asks/",
            "/portal/preferences/",
            "/portal/data/",
            "/portal/verify/",
            "/portal/sign-in/",
        ]:
            try:
                r = client.get(url, {"page": value, "next": value})
            except Exception as e:
                bad.append((url, value, repr(e)[:200]))
                continue
            if r.status_code >= 500:
                bad.append((url, value, r.status_code))
    assert bad == []
