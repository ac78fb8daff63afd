"""What the CRM sync tests share: a client calling with a `crm_sync` key, and valid items."""

import json

from integrations.keys import api_key_create


def keyed(client, user, scopes=("crm_sync",)):
    """`client` calling as `user` with a new key of `scopes`."""
    _key, raw = api_key_create(user=user, name="CRM", scopes=list(scopes))
    client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {raw}"
    return client


def put(client, path: str, body) -> object:
    return client.put(path, data=json.dumps(body), content_type="application/json")


def post(client, path: str, body) -> object:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def account_item(external_id: str = "SF-A1", **changes) -> dict:
    item = {
        "external_id": external_id,
        "name": "Acme Bank",
        "industry": "52",
        "size_band": "Mid-market (100–999)",
        "country": "DE",
        "products": ["Analytics Cloud", "Secure Edge"],
        "use_cases": ["Fraud detection"],
        "owner_email": "olivia@vendor.test",
        "customer_since": "2020-01-01",
        "annual_contract_value": "120000.00",
        "currency": "EUR",
        "nps": 9,
        "open_escalations": 0,
        "renewal_date": "2027-03-01",
        "at_risk": False,
    }
    return {**item, **changes}


def contact_item(external_id: str = "SF-C1", account: str = "SF-A1", **changes) -> dict:
    item = {
        "external_id": external_id,
        "account_external_id": account,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "title": "CTO",
        "persona": "technical",
        "email": f"{external_id.lower()}@acme.test",
        "phone": "+49 30 1234",
        "language": "de",
        "time_zone": "Europe/Berlin",
    }
    return {**item, **changes}


def deal_item(external_id: str = "SF-O1", **changes) -> dict:
    item = {
        "external_id": external_id,
        "prospect_name": "Prospect GmbH",
        "industry": "52",
        "country": "DE",
        "size_band": "Large (1,000–9,999)",
        "products": ["Analytics Cloud"],
        "amount": "50000.00",
        "currency": "EUR",
        "stage": "proposal",
        "close_date": "2027-06-30",
        "outcome": "open",
        "owner_email": "sally@vendor.test",
    }
    return {**item, **changes}
