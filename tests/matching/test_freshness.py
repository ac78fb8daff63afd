"""The in-memory search index stays fresh: who is offerable never lags, counts lag one refresh,
a new version is swapped in whole, and a process that cannot load one says so in /readyz."""

import threading

import pytest
from django.db import connections
from django.utils import timezone

from limits.models import ContactUsage, UsageState
from matching import loaded
from matching.models import MatchWeights, SearchSnapshot
from matching.selectors import Filters, search_references
from matching.tasks import refresh_search_index
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference


def contact_ids(page) -> list[int]:
    return [card.contact_id for card in page.cards]


def test_an_opt_out_disappears_from_the_next_page_and_from_the_counts_after_one_refresh(account_owner):
    stays = make_reference(account_owner, name="Stays")
    leaves = make_reference(account_owner, name="Leaves")
    index()
    assert search_references(filters=Filters()).total == 2

    leaves.preferences.opted_out, leaves.preferences.opted_out_at = True, timezone.now()
    leaves.preferences.save()

    page = search_references(filters=Filters())
    assert contact_ids(page) == [stays.pk]  # the live re-check: at once
    refresh_search_index()
    assert search_references(filters=Filters()).total == 1  # the counts: after one refresh


def test_a_new_reference_appears_after_one_refresh(account_owner):
    make_reference(account_owner, name="First")
    index()
    assert search_references(filters=Filters(q="newcomer")).total == 0

    newcomer = make_reference(account_owner, name="Newcomer Industries")
    assert search_references(filters=Filters(q="newcomer")).total == 0  # not yet published

    refresh_search_index()
    page = search_references(filters=Filters(q="newcomer"))
    assert (page.total, contact_ids(page)) == (1, [newcomer.pk])


def test_new_stored_usage_reaches_the_ranking_after_one_refresh(account_owner):
    first = make_reference(account_owner, name="First")
    second = make_reference(account_owner, name="Second")
    index()
    assert contact_ids(search_references(filters=Filters())) == [first.pk, second.pk]

    # The limits job stores that the first has no slot left (as its hourly run would).
    ContactUsage.objects.create(
        contact=first, account=first.account, used=4, slots_left=0, state=UsageState.LIMITED
    )
    assert contact_ids(search_references(filters=Filters())) == [first.pk, second.pk]
    refresh_search_index()
    assert contact_ids(search_references(filters=Filters())) == [second.pk, first.pk]


def test_a_refresh_with_nothing_changed_publishes_nothing(account_owner):
    make_reference(account_owner)
    index()
    versions = SearchSnapshot.objects.count()

    refresh_search_index()
    refresh_search_index()

    assert SearchSnapshot.objects.count() == versions


def test_a_version_that_cannot_be_loaded_leaves_the_previous_one_served_and_readyz_says_so(
    account_owner, client, settings
):
    settings.SEARCH_INDEX_STALE_SECONDS = 1
    make_reference(account_owner, name="Served")
    index()
    served = search_references(filters=Filters())
    broken = SearchSnapshot.objects.create(
        digest="broken", data=b"not a snapshot", entries=0, documents=0, created_at=timezone.now()
    )

    assert contact_ids(search_references(filters=Filters())) == contact_ids(served)
    response = client.get("/readyz")
    assert response.status_code == 503
    problem = response.json()["checks"]["search_index"]
    assert f"newest {broken.pk}" in problem and "stale" in problem

    # A good version published after it is loaded, and the process is ready again.
    make_reference(account_owner, name="Later")
    index()
    assert search_references(filters=Filters()).total == 2
    assert client.get("/readyz").json()["checks"]["search_index"] == "ok"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_version_swap_under_concurrent_searches_never_serves_a_mix(account_owner, settings):
    industry = factories.industry("52").pk
    first = [make_reference(account_owner, industry="52").pk for _ in range(3)]
    index()
    search_references(filters=Filters())  # this process holds the first version
    settings.SEARCH_INDEX_SWAP = "background"

    # Each version's whole answer: (total, the cards' contacts, the industry's facet count).
    before = (3, tuple(sorted(first)), 3)
    seen, errors, stop = [], [], threading.Event()

    def search_until_stopped():
        try:
            while not stop.is_set():
                page = search_references(filters=Filters(industry=(industry,)))
                counts = {v.value: v.count for g in page.facets if g.key == "industry" for v in g.values}
                seen.append((page.total, tuple(sorted(contact_ids(page))), counts[str(industry)]))
        except Exception as exc:  # reported below: a failed search is a failed test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=search_until_stopped) for _ in range(4)]
    for thread in threads:
        thread.start()
    second = [make_reference(account_owner, industry="52").pk for _ in range(2)]
    index()
    after = (5, tuple(sorted(first + second)), 5)
    deadline = timezone.now() + timezone.timedelta(seconds=30)
    while after not in seen and timezone.now() < deadline and not errors:
        threading.Event().wait(0.05)
    stop.set()
    for thread in threads:
        thread.join()

    assert not errors
    assert after in seen, "the new version was never swapped in"
    assert before in seen
    assert set(seen) <= {before, after}, "a page mixed two versions"


def test_status_reports_the_version_and_its_size(account_owner):
    make_reference(account_owner)
    index()
    search_references(filters=Filters())
    status = loaded.status()
    assert status["version"] == SearchSnapshot.objects.order_by("-pk").first().pk
    assert status["entries"] == 1 and status["bytes"] > 0


def test_readyz_says_when_the_index_has_entries_but_no_published_version(account_owner, client):
    make_reference(account_owner)
    index()
    SearchSnapshot.objects.all().delete()  # as after the migration that introduced snapshots

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["search_index"] == "search index not published yet"


def test_a_contact_id_too_large_for_any_contact_is_not_found(account_owner, client, sales_rep):
    make_reference(account_owner)
    index()
    client.force_login(sales_rep)

    assert client.get("/sales/references/99999999999999999999/").status_code == 404
    assert search_references(filters=Filters(exclude_contacts=(10**20,))).total == 1


def test_new_weights_replace_the_kept_points_rather_than_add_to_them(account_owner):
    make_reference(account_owner)
    index()
    for availability in (3, 7, 11):
        MatchWeights.objects.filter(pk=1).update(availability=availability)
        search_references(filters=Filters())
    snapshot = loaded.snapshot_for((loaded.status()["version"], loaded.status()["digest"]))
    assert [key for key in snapshot.memo if "steady" in str(key)] == ["steady"]
    assert snapshot.memo["steady"][0][1] == 11


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_does_not_wait_for_a_background_load(account_owner, settings):
    first = make_reference(account_owner, name="First")
    index()
    search_references(filters=Filters())  # this process holds the first version
    settings.SEARCH_INDEX_SWAP = "background"
    make_reference(account_owner, name="Second")
    index()
    answers = []

    def search():
        answers.append(contact_ids(search_references(filters=Filters())))
        connections.close_all()

    with loaded._load_lock:  # as while a long load of the new version runs
        requests = [threading.Thread(target=search) for _ in range(3)]
        for request in requests:
            request.start()
        for request in requests:
            request.join(timeout=10)
        answered_while_loading = list(answers)
    assert answered_while_loading == [[first.pk]] * 3  # the old version, at once

    deadline = timezone.now() + timezone.timedelta(seconds=30)
    while search_references(filters=Filters()).total != 2 and timezone.now() < deadline:
        threading.Event().wait(0.05)
    assert search_references(filters=Filters()).total == 2
