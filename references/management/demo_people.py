"""Demo contacts and their reference activities: who the people at a customer are, what they are
willing to do, and what they did in the past two years (see `references/demo.py`)."""

from dataclasses import dataclass
from datetime import datetime
from random import Random

from references import consent as wordings
from references.management import demo_words as words
from references.management.bulk_load import BulkLoader
from references.management.demo_kit import Calendar, DealIndex, Taxonomies, Weighted, ascii_fold, one_of
from references.models import (
    BlackoutPeriod,
    ConsentEntry,
    ConsentMethod,
    ConsentSubject,
    Contact,
    ParticipationPreferences,
    ReferenceActivity,
)
from references.statuses import ReferenceStatus

S = ReferenceStatus  # short, for the tables below
# A contact's status given its account's status.
CONTACT_STATUS = {
    S.ACTIVE: Weighted([S.ACTIVE, S.RESTING, S.CANDIDATE, S.PAUSED, S.RETIRED], [70, 10, 8, 5, 7]),
    S.RESTING: Weighted([S.ACTIVE, S.RESTING, S.CANDIDATE, S.PAUSED, S.RETIRED], [55, 30, 5, 5, 5]),
    S.AT_RISK: Weighted([S.ACTIVE, S.RESTING, S.PAUSED, S.RETIRED], [70, 10, 10, 10]),
    S.PAUSED: Weighted([S.PAUSED, S.ACTIVE], [60, 40]),
    S.CANDIDATE: Weighted([S.CANDIDATE], [1]),
    S.RETIRED: Weighted([S.RETIRED], [1]),
    S.DEFECTED: Weighted([S.DEFECTED], [1]),
}
# Mean reference activities in two years per account, by account status (about 10 overall).
ACTIVITIES_PER_ACCOUNT = {
    S.ACTIVE: 13.5,
    S.RESTING: 15.0,
    S.AT_RISK: 10.0,
    S.PAUSED: 9.0,
    S.RETIRED: 7.0,
    S.DEFECTED: 7.0,
    S.CANDIDATE: 0.0,
}
MAX_ACTIVITIES_PER_ACCOUNT = 40  # keeps even the busiest accounts near the default burnout limits
HISTORY_DAYS = 730
# Activity type: (how common, chance a contact is willing to do it, typical durations in minutes).
ACTIVITY_TYPE_PROFILE = {
    "reference_call": (45, 0.85, (30, 45, 60)),
    "site_visit": (5, 0.20, (120, 180, 240)),
    "case_study": (5, 0.35, None),
    "video": (3, 0.20, (60, 90, 120)),
    "press_interview": (3, 0.12, (30, 45)),
    "analyst_briefing": (4, 0.15, (45, 60)),
    "speaking_slot": (4, 0.15, (30, 45, 60)),
    "peer_networking": (8, 0.45, (90, 120)),
    "advisory_board": (5, 0.20, (120, 240)),
    "beta_program": (4, 0.30, None),
    "online_review": (10, 0.50, None),
    "quote_logo": (4, 0.40, None),
}
CONTACTS_PER_ACCOUNT = Weighted([1, 2, 3, 4, 5], [10, 25, 30, 20, 15])  # ~3
OPT_OUT_EVERY = 40
Channel = ParticipationPreferences.Channel
CHANNELS = Weighted([Channel.EMAIL, Channel.VIDEO, Channel.PHONE, Channel.IN_PERSON], [50, 30, 15, 5])
PERSONAS = {"executive": 30, "technical": 40, "end_user": 30}


@dataclass(slots=True)
class NewContact:
    """What an account's activities need to know about a contact just generated."""

    id: int
    status: str
    willing: tuple[str, ...]
    opted_out: bool
    since: int  # the account's customer-since day (ordinal)
    first_activity: int | None = None
    last_activity: int | None = None


class PeopleSeeder:
    """Writes the contacts of each account, their preferences, blackouts and activities."""

    def __init__(
        self,
        *,
        rng: Random,
        today: int,
        now: datetime,
        tax: Taxonomies,
        calendar: Calendar,
        loader: BulkLoader,
        deals: DealIndex,
        manager_id: int,
    ):
        self.rng, self.today, self.now, self.tax = rng, today, now, tax
        self.calendar, self.deals, self.manager_id = calendar, deals, manager_id
        self.day = calendar.day
        self.languages = {
            p.code: Weighted([(lang, pool) for lang, pool, _ in p.languages], [w for *_, w in p.languages])
            for p in words.COUNTRIES
        }
        personas = [code for code in PERSONAS if code in tax.personas]
        self.personas = Weighted(personas, [PERSONAS[code] for code in personas])
        self.type_codes = tuple(code for code in ACTIVITY_TYPE_PROFILE if code in tax.activity_types)
        self._type_choices: dict[tuple[str, ...], Weighted] = {}
        self.t_contact = loader.table(
            Contact,
            ["id", "external_id", "account", "first_name", "last_name", "title", "persona", "email", "phone"]
            + ["language", "time_zone", "status", "created_at", "updated_at"],
        )
        self.t_preferences = loader.table(
            ParticipationPreferences,
            ["id", "contact", "own_cap_per_quarter", "preferred_channel", "wants_in_return"]
            + ["consent_given_at", "opted_out", "opted_out_at", "paused_by_contact", "updated_at"],
        )
        self.t_preference_types = loader.through(ParticipationPreferences._meta.get_field("activity_types"))
        self.t_blackout = loader.table(BlackoutPeriod, ["contact", "start", "end", "reason"])
        self.t_consent = loader.table(
            ConsentEntry,
            ["contact", "subject", "activity_type", "given", "recorded_at", "method", "wording_version"],
        )
        self.t_activity = loader.table(
            ReferenceActivity,
            ["id", "contact", "account", "activity_type", "occurred_on", "duration_minutes", "notes"]
            + ["recorded_by", "created_at"],
        )
        self.t_activity_opportunities = loader.through(ReferenceActivity._meta.get_field("opportunities"))

    def seed(
        self,
        *,
        account_id: int,
        industry_id: int,
        status: str,
        profile: words.CountryProfile,
        domain: str,
        since: int,
        ended: int | None,
    ) -> None:
        """The people of one account and what they did; `ended` is the day a customer left."""
        contacts = self.seed_contacts(account_id, status, profile, domain, since)
        self.seed_activities(account_id, industry_id, status, contacts, since, ended)

    # --- contacts ---------------------------------------------------------------------------

    def seed_contacts(
        self, account_id: int, account_status: str, profile: words.CountryProfile, domain: str, since: int
    ) -> list[NewContact]:
        """Contacts of one account; their preferences are written once their activities are known."""
        rng, tax = self.rng, self.tax
        emails: set[str] = set()
        contacts = []
        for _ in range(CONTACTS_PER_ACCOUNT.pick(rng)):
            contact_id = self.t_contact.new_id()
            language, pool = self.languages[profile.code].pick(rng)
            first, last = one_of(rng, words.FIRST_NAMES[pool]), one_of(rng, words.LAST_NAMES[pool])
            local = f"{ascii_fold(first)}.{ascii_fold(last)}"
            email, number = f"{local}@{domain}.example", 2
            while email in emails:  # two people of the same name at one company
                email, number = f"{local}{number}@{domain}.example", number + 1
            emails.add(email)
            persona = self.personas.pick(rng)
            status = CONTACT_STATUS[account_status].pick(rng)
            title = one_of(rng, words.TITLES[persona])
            phone, time_zone = self._phone(profile), one_of(rng, profile.time_zones)
            self.t_contact.add(
                (contact_id, f"003DEMO{contact_id:010d}", account_id, first, last, title)
                + (tax.personas[persona], email, phone, language, time_zone, status, self.now, self.now)
            )
            # Every 40th contact has opted out (2.5%), so even a small demo shows some.
            opted_out = contact_id % OPT_OUT_EVERY == 0
            contacts.append(NewContact(contact_id, status, self._willing_types(), opted_out, since))
        return contacts

    def _phone(self, profile: words.CountryProfile) -> str:
        rng = self.rng
        if profile.dialing_code == "1":
            # 555-0100 to 555-0199 are reserved for fiction in North America.
            return f"+1 {rng.randint(201, 989)} 555 01{rng.randint(0, 99):02d}"
        return (
            f"+{profile.dialing_code} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        )

    def _willing_types(self) -> tuple[str, ...]:
        rng = self.rng
        willing = tuple(code for code in self.type_codes if rng.random() < ACTIVITY_TYPE_PROFILE[code][1])
        return willing or self.type_codes[:1]

    def finish_contact(self, contact: NewContact) -> None:
        """Preferences, activity types and blackout dates of a contact whose activities are known:
        consent comes before the first activity, an opt-out after the last one."""
        rng, today, stamp = self.rng, self.today, self.calendar.stamp
        first, last = contact.first_activity, contact.last_activity
        consent_at = None
        if contact.status != ReferenceStatus.CANDIDATE or rng.random() < 0.3:
            consent_day = rng.randint(min(max(contact.since, today - 1500), today - 1), today - 1)
            consent_at = stamp(consent_day if first is None else min(consent_day, first - 1), 9)
        opted_out_at = None
        if contact.opted_out:
            after = last if last is not None else today - 365
            opted_out_at = stamp(min(today - 1, after + rng.randint(7, 120)), 14)
        cap = one_of(rng, (1, 1, 2, 2, 3)) if rng.random() < 0.25 else None
        wants = "; ".join(rng.sample(words.WANTS_IN_RETURN, rng.randint(0, 2)))
        paused = rng.random() < 0.04
        prefs_id = self.t_preferences.new_id()
        self.t_preferences.add(
            (prefs_id, contact.id, cap, CHANNELS.pick(rng), wants, consent_at, contact.opted_out)
            + (opted_out_at, paused, self.now)
        )
        for code in contact.willing:
            self.t_preference_types.add((prefs_id, self.tax.activity_types[code]))
        self._consents(contact, consent_at, opted_out_at)
        if rng.random() < 0.06:
            start = today + rng.randint(-60, 180)
            reason = one_of(rng, words.BLACKOUT_REASONS)
            self.t_blackout.add((contact.id, self.day(start), self.day(start + rng.randint(2, 21)), reason))

    def _consents(self, contact: NewContact, consent_at, opted_out_at) -> None:
        """The ledger of what the contact's preferences say, as an import records it."""
        imported, program, per_type = ConsentMethod.IMPORT, wordings.PROGRAM, wordings.ACTIVITY_TYPE
        if consent_at is not None:
            self.t_consent.add(
                (contact.id, ConsentSubject.PROGRAM, None, True, consent_at, imported, program.version)
            )
            for code in contact.willing:
                type_id = self.tax.activity_types[code]
                row = (
                    contact.id,
                    ConsentSubject.ACTIVITY_TYPE,
                    type_id,
                    True,
                    consent_at,
                    imported,
                    per_type.version,
                )
                self.t_consent.add(row)
        if opted_out_at is not None:
            self.t_consent.add(
                (contact.id, ConsentSubject.PROGRAM, None, False, opted_out_at, imported, program.version)
            )

    # --- activities -------------------------------------------------------------------------

    def seed_activities(
        self,
        account_id: int,
        industry_id: int,
        status: str,
        contacts: list[NewContact],
        since: int,
        ended: int | None,
    ) -> None:
        """About ten activities per account over two years (none before the account was a customer
        or after it left, none by candidate contacts), then each contact's preferences."""
        rng, today = self.rng, self.today
        first_day = max(today - HISTORY_DAYS, since + 30)
        last_day = (ended - 1) if ended else today - 1
        eligible = [contact for contact in contacts if contact.status != ReferenceStatus.CANDIDATE]
        mean = ACTIVITIES_PER_ACCOUNT[status]
        count = min(MAX_ACTIVITIES_PER_ACCOUNT, int(rng.expovariate(1 / mean) + 0.5)) if mean else 0
        if eligible and first_day <= last_day:
            for _ in range(count):
                contact = one_of(rng, eligible)
                day = rng.randint(first_day, last_day)
                self._activity(account_id, industry_id, contact, day)
                if contact.first_activity is None or day < contact.first_activity:
                    contact.first_activity = day
                if contact.last_activity is None or day > contact.last_activity:
                    contact.last_activity = day
        for contact in contacts:
            self.finish_contact(contact)

    def _type_choice(self, willing: tuple[str, ...]) -> Weighted:
        """A contact does the kinds of activity they are willing to do, common kinds more often."""
        choice = self._type_choices.get(willing)
        if choice is None:
            weights = [ACTIVITY_TYPE_PROFILE[code][0] for code in willing]
            choice = self._type_choices[willing] = Weighted(willing, weights)
        return choice

    def _activity(self, account_id: int, industry_id: int, contact: NewContact, day: int) -> None:
        """One activity, serving one or two deals that closed (or close) soon after it."""
        rng = self.rng
        code = self._type_choice(contact.willing).pick(rng)
        minutes = ACTIVITY_TYPE_PROFILE[code][2]
        activity_id = self.t_activity.new_id()
        deal = self.deals.pick(rng, industry_id, day)
        recorded_by = self.deals.owner[deal] if rng.random() < 0.7 else self.manager_id
        notes = one_of(rng, words.ACTIVITY_NOTES) if rng.random() < 0.3 else ""
        self.t_activity.add(
            (activity_id, contact.id, account_id, self.tax.activity_types[code], self.day(day))
            + (one_of(rng, minutes) if minutes else None, notes, recorded_by, self.calendar.stamp(day, 17))
        )
        self.t_activity_opportunities.add((activity_id, deal))
        if rng.random() < 0.35:
            second = self.deals.pick(rng, industry_id, day)
            if second != deal:
                self.t_activity_opportunities.add((activity_id, second))
