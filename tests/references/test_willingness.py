"""`Willingness` is the preferences' activity types with the contact on them, kept by database
triggers (references/willingness.py): whatever writes the types — the preferences service, a bulk
insert, raw SQL, a delete — leaves the copy equal to them in the same transaction."""

import pytest
from django.db import connection

from references.models import ActivityType, Contact, ParticipationPreferences, Willingness
from references.services.catalogue import preferences_update
from references.willingness import triggers_operation
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

Types = ParticipationPreferences.activity_types.through


def copied() -> set[tuple[int, int, int]]:
    return set(Willingness.objects.values_list("id", "contact_id", "activity_type_id"))


def from_preferences() -> set[tuple[int, int, int]]:
    """What the copy must hold: each row of the preferences' types, with its preferences' contact."""
    return set(Types.objects.values_list("id", "participationpreferences__contact_id", "activitytype_id"))


def willing(contact: Contact) -> set[str]:
    types = Willingness.objects.filter(contact=contact).values_list("activity_type__code", flat=True)
    return set(types)


@pytest.fixture
def contact(customer_account):
    return factories.make_contact(customer_account, activity_types=("reference_call", "case_study"))


def test_the_types_a_contact_is_given_are_copied_with_the_contact(contact):
    assert willing(contact) == {"reference_call", "case_study"}
    assert copied() == from_preferences()


def test_a_change_of_types_through_the_preferences_service_is_copied(contact):
    press = factories.activity_type("press_interview")

    preferences_update(contact=contact, activity_types=[press, factories.activity_type("case_study")])
    assert willing(contact) == {"press_interview", "case_study"}

    preferences_update(contact=contact, activity_types=[])
    assert willing(contact) == set()
    assert copied() == from_preferences()


def test_rows_written_in_bulk_or_by_raw_sql_are_copied(customer_account, contact):
    other = factories.make_contact(customer_account, activity_types=())
    preferences = other.preferences
    Types.objects.bulk_create(
        Types(participationpreferences=preferences, activitytype=ActivityType.objects.get(code=code))
        for code in ("press_interview", "reference_call")
    )
    assert willing(other) == {"press_interview", "reference_call"}

    press, call = (ActivityType.objects.get(code=code).pk for code in ("press_interview", "reference_call"))
    with connection.cursor() as cursor:  # one type replaced by another, as a data fix would
        cursor.execute(
            f"UPDATE {Types._meta.db_table} SET activitytype_id = %s "
            "WHERE participationpreferences_id = %s AND activitytype_id = %s",
            [factories.activity_type("case_study").pk, preferences.pk, press],
        )
    assert willing(other) == {"case_study", "reference_call"}

    Types.objects.filter(participationpreferences=preferences, activitytype_id=call).delete()
    assert willing(other) == {"case_study"}
    assert willing(contact) == {"reference_call", "case_study"}  # the other contact's untouched
    assert copied() == from_preferences()


def test_preferences_moved_to_another_contact_take_their_types_along(customer_account, contact):
    newcomer = factories.make_contact(customer_account, activity_types=())
    newcomer.preferences.delete()

    ParticipationPreferences.objects.filter(contact=contact).update(contact=newcomer)

    assert willing(newcomer) == {"reference_call", "case_study"}
    assert willing(contact) == set()
    assert copied() == from_preferences()


def test_deleting_the_preferences_or_the_contact_deletes_the_copies(customer_account, contact):
    second = factories.make_contact(customer_account, activity_types=("press_interview",))

    ParticipationPreferences.objects.filter(contact=second).delete()
    assert willing(second) == set()

    Contact.objects.filter(pk=contact.pk).delete()
    assert not Willingness.objects.exists()
    assert copied() == from_preferences() == set()


class _SchemaEditor:
    """What the migration's functions use of Django's schema editor: its connection and execute."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_triggers_created_again_after_a_rebuild_copy_what_was_written_meanwhile(
    customer_account, contact
):
    # A SQLite migration that rebuilds a table drops its triggers; the migration creates them
    # again with the same operation, which copies only the rows written without them.
    operation = triggers_operation()
    operation.reverse_code(None, _SchemaEditor())
    meanwhile = factories.make_contact(customer_account, activity_types=("press_interview",))
    assert willing(meanwhile) == set()  # no trigger: not copied

    operation.code(None, _SchemaEditor())

    assert willing(meanwhile) == {"press_interview"} and copied() == from_preferences()
    preferences_update(contact=meanwhile, activity_types=[factories.activity_type("case_study")])
    assert willing(meanwhile) == {"case_study"}  # the triggers work again
