"""A nomination in the sales portal: the account owner answers the consent task from My tasks and
its page; nobody else finds that page; a rep sees only their own nominations."""

import pytest
from django.urls import reverse

from requests_app.models import Nomination
from tests.builders import catalogue as factories
from workflows.models import Task
from workflows.nominations import nomination_qualify, nomination_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination(sales_rep, account_owner, manager):
    account = factories.make_account(account_owner, name="Globex Bank")
    made = nomination_submit(
        nominator=sales_rep, account=account, contact_name="Nina Newcomer", reason="Presents well."
    )
    return nomination_qualify(nomination_id=made.pk, actor=manager)


def test_the_owner_finds_the_consent_on_my_tasks_and_answers_it(client, nomination, account_owner):
    client.force_login(account_owner)
    tasks = client.get(reverse("tasks:list")).content.decode()
    consent_url = reverse("sales:nomination-consent", args=[nomination.pk])
    assert "Consent to the nomination of Nina Newcomer" in tasks and consent_url in tasks

    assert "May Nina Newcomer become a reference?" in client.get(consent_url).content.decode()
    assert client.post(consent_url, {"answer": "refuse"}).status_code == 400  # a refusal says why
    response = client.post(consent_url, {"answer": "refuse", "note": "Their renewal is tense."})
    assert response.status_code == 302

    answered = Nomination.objects.get(pk=nomination.pk)
    assert answered.owner_consent == Nomination.Consent.REFUSED and answered.owner_consent_by == account_owner
    assert Task.objects.get(nomination=nomination).status == Task.Status.DONE
    assert "Consent to the nomination" not in client.get(reverse("tasks:list")).content.decode()


def test_the_consent_task_has_no_done_button(client, nomination, account_owner):
    client.force_login(account_owner)
    task = Task.objects.get(nomination=nomination)
    assert reverse("tasks:complete", args=[task.pk]) not in client.get(reverse("tasks:list")).content.decode()
    refused = client.post(reverse("tasks:complete", args=[task.pk]))
    assert refused.status_code == 302 and Task.objects.get(pk=task.pk).is_open


def test_another_rep_cannot_see_my_nomination(client, nomination, other_rep, sales_rep):
    client.force_login(other_rep)
    assert client.get(reverse("sales:nomination-consent", args=[nomination.pk])).status_code == 404
    assert "Nina Newcomer" not in client.get(reverse("sales:nominations")).content.decode()
    client.force_login(sales_rep)  # the nominator sees it on their list, but answers nothing
    assert "Nina Newcomer" in client.get(reverse("sales:nominations")).content.decode()
    assert client.get(reverse("sales:nomination-consent", args=[nomination.pk])).status_code == 404


def test_the_nominator_is_told_and_managers_hear_of_new_nominations(
    client, sales_rep, account_owner, manager
):
    account = factories.make_account(account_owner)
    client.force_login(sales_rep)
    response = client.post(
        reverse("sales:nominate-account", args=[account.pk]),
        {"contact_name": "Pia Prospect", "reason": "Loves the product."},
    )
    assert response.status_code == 302
    assert manager.notifications.filter(kind="nomination_submitted").exists()
