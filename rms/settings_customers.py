"""Settings of the customer portal (imported at the end of rms/settings.py)."""

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

# Magic links (customers/links.py): single use, stored as a hash, the newest of a contact cancels
# its older ones. One asked for on the sign-in page lives PORTAL_LINK_MINUTES; one in an email to a
# contact lives PORTAL_EMAIL_LINK_HOURS, because an ask or a reminder is often opened days after it
# was sent (a weekend, a trip), and a dead link there would send the contact to sign in by hand.
PORTAL_LINK_MINUTES = env_int("PORTAL_LINK_MINUTES", 15, minimum=1)
PORTAL_EMAIL_LINK_HOURS = env_int("PORTAL_EMAIL_LINK_HOURS", 72, minimum=1)
# Links asked for per hour: per typed address, and per client address (core.throttle.client_ip).
PORTAL_LINKS_PER_EMAIL = env_int("PORTAL_LINKS_PER_EMAIL", 5, minimum=1)
PORTAL_LINKS_PER_IP = env_int("PORTAL_LINKS_PER_IP", 20, minimum=1)
# Days kept after a link expired (its dead-link page offers a fresh one) and after a session began.
PORTAL_LINK_KEEP_DAYS = env_int("PORTAL_LINK_KEEP_DAYS", 30, minimum=1)
PORTAL_SESSION_KEEP_DAYS = env_int("PORTAL_SESSION_KEEP_DAYS", 90, minimum=1)

# The public "become a reference" page (workflows/volunteers.py): offers per hour per client
# address and per typed email, and the least time a person takes to fill the form (faster is a bot).
VOLUNTEERS_PER_IP = env_int("VOLUNTEERS_PER_IP", 5, minimum=1)
VOLUNTEERS_PER_EMAIL = env_int("VOLUNTEERS_PER_EMAIL", 2, minimum=1)
VOLUNTEER_MIN_FILL_SECONDS = env_int("VOLUNTEER_MIN_FILL_SECONDS", 3, minimum=0)
