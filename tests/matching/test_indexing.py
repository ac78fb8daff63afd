"""The search index follows the catalogue: rebuild, targeted refresh, and the periodic refresh."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from matching.indexing import search_index_refresh
from matching.models import MatchWeights, ReferenceEntry, SearchDocument, SearchIndexState
from matching.selectors import Filters, search_references
from matching.tasks import rebuild_search_index, refresh_search_index
from rms.celery import app as celery_app
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference, product


def test_rebuild_indexes_offerable_contacts_with_their_facets(account_owner):
    contact = make_reference(
        account_owner, products=("Analytics Cloud", "Secure Edge"), use_cases=("Fraud detection",), nps=8
    )
    make_reference(account_owner, prefs={"opted_out": True, "opted_out_at": timezone.now()})

    stats = index()

    assert (stats.entries, stats.documents) == (1, 2)
    entry = ReferenceEntry.objects.get()
    assert entry.contact_id == contact.pk and entry.document_id == contact.account_id
    assert entry.product_ids == sorted([product("Analytics Cloud").pk, product("Secure Edge").pk])
    assert entry.activity_type_ids == [factories.activity_type("reference_call").pk]
    assert (entry.nps, entry.resting, entry.last_activity_on) == (8, False, None)
    assert "Fraud detection" in SearchDocument.objects.get(account_id=contact.account_id).tags


def test_targeted_refresh_follows_changes(account_owner):
    contact = make_reference(account_owner, name="Globex")
    index()
    contact.account.status = "defected"
    contact.account.save()

    search_index_refresh(account_ids=[contact.account_id])

    assert not ReferenceEntry.objects.exists()
    assert not SearchDocument.objects.exists()


def test_periodic_refresh_picks_up_what_changed_since_its_last_run(account_owner):
    stays = make_reference(account_owner, name="Stays")
    opts_out = make_reference(account_owner, name="Opts out")
    index()
    SearchIndexState.objects.filter(pk=1).update(refreshed_from=timezone.now() - timedelta(hours=1))
    ReferenceEntry.objects.update(indexed_at=timezone.now() - timedelta(hours=1))
    newcomer = make_reference(account_owner, name="Newcomer")
    prefs = opts_out.preferences
    prefs.opted_out, prefs.opted_out_at = True, timezone.now()
    prefs.save()
    factories.make_activity(stays, timezone.localdate())

    refresh_search_index()

    indexed = dict(ReferenceEntry.objects.values_list("contact_id", "last_activity_on"))
    assert indexed == {stays.pk: timezone.localdate(), newcomer.pk: None}


def test_the_command_and_the_tasks_rebuild(account_owner, capsys):
    make_reference(account_owner)

    call_command("rebuild_search_index")
    assert "1 reference entries" in capsys.readouterr().out
    assert rebuild_search_index()["entries"] == 1
    assert search_references(filters=Filters()).total == 1


def test_beat_runs_the_refresh_every_minute():
    entry = celery_app.conf.beat_schedule["matching-refresh-search-index"]
    assert entry["task"] == "matching.refresh_search_index" and entry["schedule"] == 60.0


def test_weights_are_one_admin_editable_row(admin_client):
    assert MatchWeights.objects.count() == 1
    page = admin_client.get("/admin/matching/matchweights/1/change/")
    assert page.status_code == 200
    assert admin_client.get("/admin/matching/matchweights/add/").status_code == 403

    admin_client.post(
        "/admin/matching/matchweights/1/change/",
        {
            "industry": 40,
            "product": 20,
            "region": 10,
            "size": 5,
            "persona": 5,
            "availability": 10,
            "nps": 5,
            "text": 10,
        },
    )

    weights = MatchWeights.load()
    assert (weights.industry, weights.product) == (40, 20)
