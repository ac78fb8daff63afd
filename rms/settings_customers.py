"""Settings of the customer portal (imported at the end of rms/settings.py)."""

from pathlib import Path

from rms.env import env_int, env_str

# The portal's own session cookie: a contact is not a staff user (customers/sessions.py).
PORTAL_COOKIE = "rms_portal"
PORTAL_SESSION_IDLE_MINUTES = env_int("PORTAL_SESSION_IDLE_MINUTES", 30, minimum=1)
PORTAL_SESSION_HOURS = env_int("PORTAL_SESSION_HOURS", 12, minimum=1)
# The vendor running the program, as customers read it ("Nobody from Example Software contacts you…").
COMPANY_NAME = env_str("COMPANY_NAME", "Example Software")
# Days a reference manager has to carry out a contact's erasure request (the GDPR's month).
PORTAL_ERASURE_DAYS = env_int("PORTAL_ERASURE_DAYS", 30, minimum=1)
# An ask the contact has not answered gets one reminder after this many days (workflows.ask_reminders).
PORTAL_ASK_REMINDER_DAYS = env_int("PORTAL_ASK_REMINDER_DAYS", 3, minimum=1)
# The portal speaks English and German; the project's translations are in locale/.
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
