"""Every seeded industry (the NAICS sectors) and size band is marked for the translators
(references/words.py), so a German contact reads the prospect's kind in German on every portal
page; a row an administrator added reads as stored."""

from types import SimpleNamespace

from django.utils import translation

from references.taxonomy_data import NAICS_SECTORS, SIZE_BANDS
from references.words import SEEDED_INDUSTRY_NAMES, SEEDED_SIZE_BAND_NAMES, industry_name, size_band_name

SEEDED_INDUSTRIES = [name for _code, name in NAICS_SECTORS]
SEEDED_SIZE_BANDS = [name for name, _low, _high in SIZE_BANDS]


def test_every_seeded_industry_and_size_band_is_marked_for_translation():
    assert set(SEEDED_INDUSTRIES) - set(SEEDED_INDUSTRY_NAMES) == set()
    assert set(SEEDED_SIZE_BANDS) - set(SEEDED_SIZE_BAND_NAMES) == set()


def test_every_seeded_industry_and_size_band_reads_in_german():
    with translation.override("de"):
        untranslated = [
            name for name in SEEDED_INDUSTRIES if industry_name(SimpleNamespace(name=name)) == name
        ] + [name for name in SEEDED_SIZE_BANDS if size_band_name(SimpleNamespace(name=name)) == name]
    assert untranslated == []


def test_german_names_are_german():
    with translation.override("de"):
        assert industry_name(SimpleNamespace(name="Finance and Insurance")) == (
            "Finanz- und Versicherungsdienstleistungen"
        )
        assert size_band_name(SimpleNamespace(name="Large (1,000–9,999)")) == "Groß (1.000–9.999)"


def test_english_names_stay_as_seeded():
    with translation.override("en"):
        assert industry_name(SimpleNamespace(name="Finance and Insurance")) == "Finance and Insurance"
        assert size_band_name(SimpleNamespace(name="Small (1–99)")) == "Small (1–99)"


def test_a_name_an_administrator_added_reads_as_stored_even_when_the_catalogue_knows_it():
    """ "Export" is a string of the portal ("Exportieren"); as an industry it is just a name."""
    with translation.override("de"):
        assert industry_name(SimpleNamespace(name="Space Tourism")) == "Space Tourism"
        assert industry_name(SimpleNamespace(name="Export")) == "Export"
        assert size_band_name(SimpleNamespace(name="Export")) == "Export"
        assert translation.gettext("Export") != "Export"
