"""The activity types' names as customers read them, in their language.

Names are data (an administrator may add or rename a type); the seeded ones
(`taxonomy_data.ACTIVITY_TYPES`) are marked here for the translators, and any other name is shown
as it is.
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


def activity_name(activity_type) -> str:
    """The type's name in the active language ("Referenzgespräch")."""
    return gettext(activity_type.name)


def activity_noun(activity_type) -> str:
    """The name inside a sentence: lower case in English ("a reference call"); German nouns keep
    their capital."""
    name = activity_name(activity_type)
    return name.lower() if (get_language() or "en").startswith("en") else name
