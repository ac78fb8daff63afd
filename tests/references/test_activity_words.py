"""Every seeded activity type's name is marked for the translators (references/words.py), so a
German contact reads it in German on every portal page and in every email."""

from types import SimpleNamespace

from django.utils import translation

from references.taxonomy_data import ACTIVITY_TYPES
from references.words import SEEDED_ACTIVITY_NAMES, activity_name

# German writes these as English does.
SAME_IN_GERMAN = {"Webinar"}


def test_every_seeded_activity_type_is_marked_for_translation():
    seeded = {name for _code, name, _counts, _many in ACTIVITY_TYPES}
    assert seeded - set(SEEDED_ACTIVITY_NAMES) == set()


def test_every_seeded_activity_type_reads_in_german():
    with translation.override("de"):
        untranslated = [
            name
            for _code, name, _counts, _many in ACTIVITY_TYPES
            if activity_name(SimpleNamespace(name=name)) == name and name not in SAME_IN_GERMAN
        ]
    assert untranslated == []
