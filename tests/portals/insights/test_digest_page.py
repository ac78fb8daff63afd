"""/insights/digest/: the digest's preview for managers and executives; recipients and "Send now"
for managers only (executives 403 on every POST); bad input is a form error, never a 500."""

import pytest
from django.urls import reverse

from core.roles import Role
from insights.digest import EXECUTIVE_DIGEST
from insights.models import DigestRecipient
from notifications.models import Notification
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def executive(db):
    return factories.make_user("erin", Role.EXECUTIVE, first_name="Erin", last_name="Exec")


def test_a_manager_sees_the_preview_and_the_recipients_forms(manager_client, executive):
    DigestRecipient.objects.create(user=executive)

    response = manager_client.get(reverse("insights:digest"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Influenced revenue (USD)" in page and "Reference activities held" in page  # in the preview
    assert "Erin Exec" in page and "Not sent yet" in page
    assert reverse("insights:digest-send") in page and reverse("insights:digest-add") in page


def test_an_executive_reads_the_preview_but_changes_nothing(client, executive, manager):
    recipient = DigestRecipient.objects.create(user=manager)
    client.force_login(executive)

    page = client.get(reverse("insights:digest")).content.decode()
    assert "Influenced revenue (USD)" in page and reverse("insights:digest-send") not in page

    assert client.post(reverse("insights:digest-add"), {"user": executive.pk}).status_code == 403
    assert client.post(reverse("insights:digest-remove", args=[recipient.pk])).status_code == 403
    assert client.post(reverse("insights:digest-send")).status_code == 403
    assert DigestRecipient.objects.count() == 1 and not Notification.objects.exists()


@pytest.mark.parametrize("persona", ["sales_rep", "marketer"])
def test_sales_and_marketing_do_not_see_the_digest(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("insights:digest")).status_code == 403


def test_a_manager_adds_and_removes_a_recipient(manager_client, executive):
    response = manager_client.post(reverse("insights:digest-add"), {"user": executive.pk})
    assert response.status_code == 302
    recipient = DigestRecipient.objects.get(user=executive)

    response = manager_client.post(reverse("insights:digest-remove", args=[recipient.pk]))
    assert response.status_code == 302 and not DigestRecipient.objects.exists()
    assert manager_client.post(reverse("insights:digest-remove", args=[recipient.pk])).status_code == 404


@pytest.mark.parametrize("value", ["", "abc", "²", "999999999999999999999", "\x00"])
def test_bad_input_is_a_form_error(manager_client, value):
    response = manager_client.post(reverse("insights:digest-add"), {"user": value})
    assert response.status_code == 400
    assert response.context["add_form"].errors["user"]
    assert not DigestRecipient.objects.exists()


def test_a_sales_rep_cannot_be_made_a_recipient(manager_client, sales_rep):
    response = manager_client.post(reverse("insights:digest-add"), {"user": sales_rep.pk})
    assert response.status_code == 400
    assert "Choose a manager or an executive from the list." in response.content.decode()


def test_send_now_sends_last_months_digest_once_to_each_recipient(
    manager_client, manager, executive, sales_rep
):
    DigestRecipient.objects.create(user=executive)
    DigestRecipient.objects.create(user=manager)

    manager_client.post(reverse("insights:digest-send"))
    manager_client.post(reverse("insights:digest-send"))  # a second click sends nobody anything

    sent = Notification.objects.filter(kind=EXECUTIVE_DIGEST.code)
    assert sorted(sent.values_list("user__username", flat=True)) == ["erin", "maria"]
    page = manager_client.get(reverse("insights:digest")).content.decode()
    assert "Not sent yet" not in page


@pytest.mark.parametrize("rows", [1, 12], ids=["few", "many"])
def test_the_page_costs_the_same_with_many_recipients(
    manager_client, rows, django_assert_max_num_queries, base_queries
):
    for n in range(rows):
        DigestRecipient.objects.create(user=factories.make_user(f"exec{n}", Role.EXECUTIVE))
    factories.make_user("spare", Role.EXECUTIVE)
    # The base + the preview's figures (this month and the one before: revenue, fulfilled, new
    # references, activities; usage and open requests now; the last issue and this month's) + the
    # recipients + who received it + the choices of the add form.
    with django_assert_max_num_queries(base_queries + 15):
        response = manager_client.get(reverse("insights:digest"))
    assert len(response.context["recipients"]) == rows
