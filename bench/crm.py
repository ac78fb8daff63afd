"""Benchmark: one CRM sync batch of 1,000 items (`integrations.crm`), per kind and path.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rms_bench .venv/bin/python bench/crm.py

Needs a seeded database (`manage.py seed_demo`, any size: the sync's queries do not depend on
it). For accounts, contacts and deals: a batch that creates `--size` records, the same batch
again with a change in every item (updates), and once more (all unchanged), p50 and p95 over
`--runs` runs, each in a transaction rolled back afterwards, so the database is left as it was.
The items are read by the API's serializers first (not timed): the service gets what the API
gives it.
Reports the queries of each batch (the same for 10 items as for 1,000: tests/api/
test_crm_access.py) and the time spent in SQL. Writes bench/results/crm.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from api.serializers.crm import (  # noqa: E402
    AccountItemSerializer,
    ContactItemSerializer,
    OpportunityItemSerializer,
)
from bench.report import SqlClock  # noqa: E402
from core.roles import ACCOUNT_OWNER_ROLES, Role, users_with_role, users_with_roles  # noqa: E402
from integrations.crm import accounts_upsert, contacts_upsert, opportunities_upsert  # noqa: E402
from references.models import Industry, Product, SizeBand  # noqa: E402

OUTPUT = ROOT / "bench" / "results" / "crm.json"


def _items(size: int, owner_email: str) -> dict[str, tuple]:
    industry = Industry.objects.filter(is_active=True).values_list("naics_code", flat=True).first()
    band = SizeBand.objects.filter(is_active=True).values_list("name", flat=True).first()
    products = list(Product.objects.filter(is_active=True).values_list("name", flat=True)[:2])
    accounts = [
        {
            "external_id": f"BENCH-A{n}",
            "name": f"Bench account {n}",
            "industry": industry,
            "size_band": band,
            "country": "DE",
            "products": products,
            "owner_email": owner_email,
            "currency": "EUR",
            "nps": 8,
        }
        for n in range(size)
    ]
    contacts = [
        {
            "external_id": f"BENCH-C{n}",
            "account_external_id": f"BENCH-A{n}",
            "first_name": "Bench",
            "last_name": f"Contact {n}",
            "persona": "executive",
            "email": f"bench{n}@bench.test",
        }
        for n in range(size)
    ]
    deals = [
        {
            "external_id": f"BENCH-O{n}",
            "prospect_name": f"Bench prospect {n}",
            "industry": industry,
            "country": "DE",
            "products": products[:1],
            "amount": 10_000 + n,
            "currency": "EUR",
            "close_date": "2027-06-30",
            "owner_email": owner_email,
        }
        for n in range(size)
    ]
    return {
        # The updates change one field to the same value everywhere and one row by row.
        "accounts": (accounts, lambda n: {"nps": 3, "name": f"Renamed {n}"}, AccountItemSerializer),
        "contacts": (contacts, lambda n: {"title": f"Title {n}"}, ContactItemSerializer),
        "opportunities": (
            deals,
            lambda n: {"outcome": "won", "amount": 20_000 + n},
            OpportunityItemSerializer,
        ),
    }


def _parsed(items: list[dict], serializer) -> list[dict]:
    """The items as the API hands them to the service: read by the kind's item serializer."""
    parsed = []
    for item in items:
        reader = serializer(data=item)
        reader.is_valid(raise_exception=True)
        parsed.append(reader.validated_data)
    return parsed


def _timed(call) -> tuple[float, float, int]:
    clock = SqlClock()
    with connection.execute_wrapper(clock):
        started = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, clock.seconds * 1000, clock.queries


def _run(kinds: dict, actor) -> dict:
    """One run of every row, inside a transaction rolled back at the end."""
    calls = {
        "accounts": lambda items: accounts_upsert(items=items, actor=actor),
        "contacts": lambda items: contacts_upsert(items=items),
        "opportunities": lambda items: opportunities_upsert(items=items),
    }
    found = {}
    with transaction.atomic():
        for kind, (items, changed) in kinds.items():
            for path, batch in (("create", items), ("update", changed), ("unchanged", changed)):
                found[f"{kind} {path}"] = _timed(lambda batch=batch, kind=kind: calls[kind](batch))
        transaction.set_rollback(True)
    return found


def _summary(samples: list[tuple[float, float, int]]) -> dict:
    times = [s[0] for s in samples]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(max(times) if len(times) < 20 else statistics.quantiles(times, n=20)[-1], 1),
        "sql_p50_ms": round(statistics.median(s[1] for s in samples), 1),
        "queries": sorted({s[2] for s in samples}),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    settings.DEBUG = False  # no query log: what production runs
    owner = users_with_roles(*ACCOUNT_OWNER_ROLES).exclude(email="").first()
    actor = users_with_role(Role.MANAGER).first()
    if owner is None or actor is None:
        sys.exit("Seed the database first: manage.py seed_demo")
    kinds = {
        kind: (
            _parsed(items, serializer),
            _parsed([{**item, **change(n)} for n, item in enumerate(items)], serializer),
        )
        for kind, (items, change, serializer) in _items(args.size, owner.email).items()
    }
    _run(kinds, actor)  # warm-up
    samples: dict[str, list] = {}
    for _ in range(args.runs):
        for row, sample in _run(kinds, actor).items():
            samples.setdefault(row, []).append(sample)
    report = {"vendor": connection.vendor, "items": args.size, "runs": args.runs}
    report["rows"] = {row: _summary(values) for row, values in samples.items()}
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
