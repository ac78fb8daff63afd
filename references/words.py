"""The catalogue's names as customers read them, in their language: activity types, industries…

Names are data (an administrator may add or rename a row); the seeded ones (`taxonomy_data`'s
ACTIVITY_TYPES, NAICS_SECTORS, SIZE_BANDS) are marked here for the translators, and any other
name is shown as it is.
"""

from django.utils.translation import get_language, gettext, gettext_noop

SEEDED_ACTIVITY_NAMES = (
    gettext_noop("Reference call"),
    gettext_noop("Site visit"),
    gettext_noop("Case study"),
    gettext_noop("Video testimonial"),
    gettext_noop("Press interview"),
    gettext_noop("Analyst briefing"),
    gettext_noop("Speaking slot"),
    gettext_noop("Peer-networking event"),
    gettext_noop("Advisory board"),
    gettext_noop("Beta program"),
    gettext_noop("Online review"),
    gettext_noop("Quote or logo use"),
    gettext_noop("Group reference call"),
    gettext_noop("Webinar"),
    gettext_noop("Customer council"),
    gettext_noop("User-group session"),
)

# The NAICS sectors (`taxonomy_data.NAICS_SECTORS`), in their order.
SEEDED_INDUSTRY_NAMES = (
    gettext_noop("Agriculture, Forestry, Fishing and Hunting"),
    gettext_noop("Mining, Quarrying, and Oil and Gas Extraction"),
    gettext_noop("Utilities"),
    gettext_noop("Construction"),
    gettext_noop("Manufacturing"),
    gettext_noop("Wholesale Trade"),
    gettext_noop("Retail Trade"),
    gettext_noop("Transportation and Warehousing"),
    gettext_noop("Information"),
    gettext_noop("Finance and Insurance"),
    gettext_noop("Real Estate and Rental and Leasing"),
    gettext_noop("Professional, Scientific, and Technical Services"),
    gettext_noop("Management of Companies and Enterprises"),
    gettext_noop("Administrative and Support and Waste Management"),
    gettext_noop("Educational Services"),
    gettext_noop("Health Care and Social Assistance"),
    gettext_noop("Arts, Entertainment, and Recreation"),
    gettext_noop("Accommodation and Food Services"),
    gettext_noop("Other Services (except Public Administration)"),
    gettext_noop("Public Administration"),
)

SEEDED_SIZE_BAND_NAMES = (
    gettext_noop("Small (1–99)"),
    gettext_noop("Mid-market (100–999)"),
    gettext_noop("Large (1,000–9,999)"),
    gettext_noop("Enterprise (10,000+)"),
)
_SEEDED_INDUSTRIES = frozenset(SEEDED_INDUSTRY_NAMES)
_SEEDED_SIZE_BANDS = frozenset(SEEDED_SIZE_BAND_NAMES)


def activity_name(activity_type) -> str:
    """The type's name in the active language ("Referenzgespräch")."""
    return gettext(activity_type.name)


def activity_noun(activity_type) -> str:
    """The name inside a sentence: lower case in English ("a reference call"); German nouns keep
    their capital."""
    name = activity_name(activity_type)
    return name.lower() if (get_language() or "en").startswith("en") else name


def industry_name(industry) -> str:
    """The industry's name in the active language ("Finanz- und Versicherungsdienstleistungen").
    One an administrator added reads as stored, even when its name happens to be another string
    of the catalogue (an industry called "Export" stays "Export")."""
    return gettext(industry.name) if industry.name in _SEEDED_INDUSTRIES else industry.name


def size_band_name(size_band) -> str:
    """The size band's name in the active language ("Groß (1.000–9.999)"), or as stored."""
    return gettext(size_band.name) if size_band.name in _SEEDED_SIZE_BANDS else size_band.name
