"""Demo data for the reference catalogue: a realistic, repeatable reference program.

For `ctx.accounts` customer accounts, `seed(ctx)` creates about 20 sales reps (the demo users
`sales` and `sales2` own a large share of the accounts too), two opportunities per account, ~3
contacts per account with participation preferences and some blackout dates, notes (why they bought,
why they left) and status history, and ~10 reference activities per account over the past two
years, each serving one or two opportunities. Statuses follow fixed shares (mostly active; some
candidate, resting, paused and retired; a few at risk and defected). Everything is drawn from
`ctx.rng`, so the same seed gives the same program. Rows go through `BulkLoader` (COPY on
PostgreSQL), never one by one: 100,000 accounts take a few minutes.

Keys this seeder puts in `ctx.shared` for the seeders of later apps:

- ``demo_rep_ids``: ids of the generated sales-rep users (Sales group), without `sales`/`sales2`.
- ``demo_account_ids``, ``demo_contact_ids``, ``demo_opportunity_ids``, ``demo_activity_ids``:
  ``range`` objects of the ids created (each is contiguous).
- ``demo_activity_type_ids``: activity type id by code (``"reference_call"`` → id).
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from core.demo_pipeline import DemoContext
from core.roles import Role
from references import demo_story
from references.management import demo_words as words
from references.management.bulk_load import BulkLoader
from references.management.demo_kit import (
    Calendar,
    CompanyNames,
    DealIndex,
    Taxonomies,
    Weighted,
    ascii_fold,
    money,
    one_of,
)
from references.management.demo_people import HISTORY_DAYS, PeopleSeeder
from references.models import Account, AccountNote, CurrencyRate, Opportunity, StatusChange
from references.statuses import USABLE_STATUSES, ReferenceStatus

S = ReferenceStatus  # short, for the tables below
Kind, Stage, Outcome = AccountNote.Kind, Opportunity.Stage, Opportunity.Outcome
# Share of accounts per reference status; active takes the rest.
ACCOUNT_STATUS_SHARES = {
    S.CANDIDATE: 0.11,
    S.RESTING: 0.07,
    S.PAUSED: 0.05,
    S.RETIRED: 0.05,
    S.AT_RISK: 0.05,
    S.DEFECTED: 0.05,
}
STATUS_REASONS = {
    S.RESTING: "Reached the activity limit; resting until a slot frees up.",
    S.PAUSED: "Account owner asked to pause asks during a re-organization.",
    S.RETIRED: "Champion left and the account no longer takes part.",
    S.AT_RISK: "NPS dropped and escalations are open; renewal at risk.",
}
# Accounts that stopped being customers: their history ends on the day they left.
ENDED_STATUSES = (S.DEFECTED, S.RETIRED)
OPPORTUNITIES_PER_ACCOUNT = 2
REP_COUNT = 20
# Share of accounts and deals owned by the demo users; the generated reps share the rest.
DEMO_OWNER_SHARES = {"sales": 0.08, "sales2": 0.05}

# Size bands from small to enterprise: (share of accounts, annual contract value range in USD).
SIZE_BAND_PROFILE = [
    (25, 8_000, 60_000),
    (35, 40_000, 250_000),
    (25, 150_000, 900_000),
    (15, 600_000, 4_000_000),
]

NPS = Weighted(range(11), [1, 1, 1, 2, 2, 4, 6, 14, 24, 25, 20])  # mostly 7–10, as in real programs
STEWARDS = Weighted([0, 1, 2], [40, 40, 20])
ACCOUNT_PRODUCTS = Weighted([1, 2, 3, 4], [35, 35, 20, 10])
ACCOUNT_USE_CASES = Weighted([0, 1, 2, 3], [10, 45, 30, 15])
ACCOUNT_COMPETITORS = Weighted([0, 1, 2], [40, 45, 15])
DEAL_PRODUCTS = Weighted([1, 2, 3], [50, 35, 15])


class DemoCatalogue:
    """Generates the catalogue for one `DemoContext` and writes it through one `BulkLoader`."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today.toordinal()
        self.now = ctx.now
        self.tax = Taxonomies.load()
        self.names = CompanyNames(self.rng)
        self.calendar = Calendar()
        self.loader = BulkLoader()
        self._choices()
        self._tables()

    def run(self) -> None:
        self._staff(self.create_reps())
        self.seed_currency_rates()
        deal_ids = self.seed_opportunities(self.ctx.accounts * OPPORTUNITIES_PER_ACCOUNT)
        self.people = PeopleSeeder(
            rng=self.rng,
            today=self.today,
            now=self.now,
            tax=self.tax,
            calendar=self.calendar,
            loader=self.loader,
            deals=self.deals,
            manager_id=self.manager_id,
        )
        for status in self.statuses(self.ctx.accounts):
            self.seed_account(status)
        counts = self.loader.finish()
        self.ctx.shared.update(
            demo_rep_ids=self.rep_ids,
            demo_account_ids=self.t_account.id_range(),
            demo_contact_ids=self.people.t_contact.id_range(),
            demo_opportunity_ids=deal_ids,
            demo_activity_ids=self.people.t_activity.id_range(),
            demo_activity_type_ids=dict(self.tax.activity_types),
        )
        self.ctx.log("  rows: " + ", ".join(f"{table} {rows:,}" for table, rows in counts.items()))

    # --- set-up -----------------------------------------------------------------------------

    def _choices(self) -> None:
        """Weighted choices over what the taxonomies hold (an admin may have removed entries)."""
        tax = self.tax
        countries = [p for p in words.COUNTRIES if p.code in tax.countries]
        self.countries = Weighted(countries, [p.weight for p in countries])
        industries = [code for code in words.INDUSTRY_WEIGHTS if code in tax.industries]
        self.industries = Weighted(industries, [words.INDUSTRY_WEIGHTS[code] for code in industries])
        bands = list(zip(tax.size_bands, SIZE_BAND_PROFILE, strict=False))
        self.size_bands = Weighted(bands, [profile[0] for _, profile in bands])

    def _tables(self) -> None:
        load = self.loader
        field = Account._meta.get_field
        self.t_opportunity = load.table(
            Opportunity,
            ["id", "external_id", "prospect_name", "industry", "country", "size_band", "amount", "currency"]
            + ["stage", "close_date", "outcome", "owner", "created_at", "updated_at"],
        )
        self.t_opportunity_products = load.through(Opportunity._meta.get_field("products"))
        self.t_opportunity_team = load.through(Opportunity._meta.get_field("team"))
        self.t_account = load.table(
            Account,
            ["id", "external_id", "name", "industry", "size_band", "country", "customer_since"]
            + ["annual_contract_value"]
            + ["currency", "nps", "open_escalations", "renewal_date", "at_risk", "status", "owner"]
            + ["reference_story", "created_at", "updated_at"],
        )
        self.t_account_products = load.through(field("products"))
        self.t_account_use_cases = load.through(field("use_cases"))
        self.t_account_competitors = load.through(field("competitors_displaced"))
        self.t_account_stewards = load.through(field("stewards"))
        self.t_note = load.table(AccountNote, ["account", "kind", "body", "author", "created_at"])
        self.t_status_change = load.table(
            StatusChange, ["account", "from_status", "to_status", "reason", "changed_by", "changed_at"]
        )

    def create_reps(self) -> list[User]:
        """About twenty sales reps in the Sales group, with unusable passwords (background staff)."""
        password = make_password(None)
        reps = [
            User(
                username=f"{ascii_fold(first)}.{ascii_fold(last)}",
                first_name=first,
                last_name=last,
                email=f"{ascii_fold(first)}.{ascii_fold(last)}@vendor.example",
                is_staff=False,  # reps work in /sales/; the admin is for administrators and managers
                password=password,
            )
            for first, last in words.STAFF_NAMES[:REP_COUNT]
        ]
        usernames = [rep.username for rep in reps]
        existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        User.objects.bulk_create([rep for rep in reps if rep.username not in existing])
        reps = list(User.objects.filter(username__in=usernames).order_by("id"))
        membership = User.groups.through
        sales = Group.objects.get(name=Role.SALES.value)
        membership.objects.bulk_create(
            [membership(user_id=rep.id, group_id=sales.id) for rep in reps], ignore_conflicts=True
        )
        return reps

    def _staff(self, reps: list[User]) -> None:
        users = self.ctx.users
        self.rep_ids = [rep.id for rep in reps]
        rep_share = (1 - sum(DEMO_OWNER_SHARES.values())) / len(self.rep_ids)
        owners = [users[name].id for name in DEMO_OWNER_SHARES] + self.rep_ids
        self.owners = Weighted(owners, list(DEMO_OWNER_SHARES.values()) + [rep_share] * len(self.rep_ids))
        self.manager_id = users["manager"].id
        self.steward_pool = [*owners, self.manager_id]

    # --- helpers ----------------------------------------------------------------------------

    def day(self, ordinal: int) -> date:
        return self.calendar.day(ordinal)

    def sample(self, pairs: list[tuple[int, str]], counts: Weighted) -> list[tuple[int, str]]:
        return self.rng.sample(pairs, min(len(pairs), counts.pick(self.rng)))

    def text(self, template: str, **extra) -> str:
        """A note or story from a template, with plausible figures and taxonomy names."""
        rng, tax = self.rng, self.tax
        values = {
            "n": rng.randint(2, 12),
            "pct": one_of(rng, (15, 20, 25, 30, 35, 40, 50)),
            "product": one_of(rng, tax.products)[1] if tax.products else "our platform",
            "competitor": one_of(rng, tax.competitors)[1] if tax.competitors else "a competitor",
            "use_case": (one_of(rng, tax.use_cases)[1] if tax.use_cases else "analytics").lower(),
            "industry": "peer",
            **extra,
        }
        return template.format(**values)

    # --- opportunities ----------------------------------------------------------------------

    def seed_currency_rates(self) -> None:
        """The rough rates the demo's deal amounts were made with, so deal sizes compare."""
        for currency, per_usd in words.USD_RATES.items():
            if currency != "USD":
                CurrencyRate.objects.update_or_create(
                    currency=currency, defaults={"per_usd": Decimal(str(per_usd))}
                )

    def seed_opportunities(self, count: int) -> range:
        """Prospects' deals of the past two years (won or lost) and the next nine months (open),
        owned by the reps."""
        rng, tax, today = self.rng, self.tax, self.today
        index = []
        for _ in range(count):
            deal_id = self.t_opportunity.new_id()
            profile = self.countries.pick(rng)
            industry_code = self.industries.pick(rng)
            name, _domain = self.names.make(industry_code, profile)
            band_id, (_, low, high) = self.size_bands.pick(rng)
            close = today + rng.randint(-HISTORY_DAYS, 270)
            stage, outcome = self._deal_state(close - today)
            owner = self.owners.pick(rng)
            amount = money(rng, low, high * 2, profile.currency)
            self.t_opportunity.add(
                (deal_id, f"006DEMO{deal_id:010d}", name, tax.industries[industry_code])
                + (tax.countries[profile.code], band_id, amount, profile.currency, stage, self.day(close))
                + (outcome, owner, self.calendar.stamp(close - rng.randint(30, 200)), self.now)
            )
            for product_id, _name in self.sample(tax.products, DEAL_PRODUCTS):
                self.t_opportunity_products.add((deal_id, product_id))
            teammate = one_of(rng, self.rep_ids)
            if rng.random() < 0.4 and teammate != owner:
                self.t_opportunity_team.add((deal_id, teammate))
            index.append((close, deal_id, tax.industries[industry_code], owner))
        self.deals = DealIndex(index)
        return self.t_opportunity.id_range()

    def _deal_state(self, days_to_close: int) -> tuple[str, str]:
        rng = self.rng
        if days_to_close < 0:  # an open deal's close date is ahead: the demo has none slipped past it
            return Stage.CLOSED, (Outcome.WON if rng.random() < 0.52 else Outcome.LOST)
        if days_to_close < 45:
            return one_of(rng, (Stage.PROPOSAL, Stage.NEGOTIATION, Stage.NEGOTIATION)), Outcome.OPEN
        if days_to_close < 120:
            return one_of(rng, (Stage.QUALIFICATION, Stage.PROPOSAL, Stage.PROPOSAL)), Outcome.OPEN
        return one_of(rng, (Stage.PROSPECTING, Stage.PROSPECTING, Stage.QUALIFICATION)), Outcome.OPEN

    # --- accounts ---------------------------------------------------------------------------

    def statuses(self, count: int) -> list[str]:
        """Exact shares of each status, shuffled; from 10 accounts on, at least one of each."""
        quota = {
            status: max(1, round(share * count)) if count >= 10 else round(share * count)
            for status, share in ACCOUNT_STATUS_SHARES.items()
        }
        result = [S.ACTIVE] * max(0, count - sum(quota.values()))
        for status, number in quota.items():
            result += [status] * number
        result = result[:count]
        self.rng.shuffle(result)
        return result

    def seed_account(self, status: str) -> None:
        """One account with its links, notes, history, contacts and activities."""
        rng, tax, today = self.rng, self.tax, self.today
        account_id = self.t_account.new_id()
        profile = self.countries.pick(rng)
        industry_code = self.industries.pick(rng)
        name, domain = self.names.make(industry_code, profile)
        band_id, (_, low, high) = self.size_bands.pick(rng)
        owner = self.owners.pick(rng)
        # A defected or retired account stopped on `ended`: its history ends there.
        ended = today - rng.randint(30, 540) if status in ENDED_STATUSES else None
        if ended:  # customers leave at a renewal, a year or more after they signed
            since = ended - 365 - min(int(rng.expovariate(1 / 900)), 5000)
        elif status == S.CANDIDATE:
            since = today - 30 - rng.randint(0, 900)
        else:
            since = today - 60 - min(int(rng.expovariate(1 / 1100)), 6000)
        at_risk = status == S.AT_RISK or (status in USABLE_STATUSES and rng.random() < 0.02)
        story = ""
        if status in USABLE_STATUSES and rng.random() < 0.6:
            story = self.text(one_of(rng, words.STORIES), name=name)
        self.t_account.add(
            (account_id, f"001DEMO{account_id:010d}", name, tax.industries[industry_code], band_id)
            + (tax.countries[profile.code],)
            + (self.day(since), money(rng, low, high, profile.currency), profile.currency)
            + (self._nps(status, at_risk), self._escalations(at_risk), self._renewal(status, at_risk))
            + (at_risk, status, owner, story, self.now, self.now)
        )
        self._account_links(account_id, owner)
        self._account_notes(account_id, status, owner, since, ended, industry_code)
        self._account_history(account_id, status, owner, since, ended)
        self.people.seed(
            account_id=account_id,
            industry_id=tax.industries[industry_code],
            status=status,
            profile=profile,
            domain=domain,
            since=since,
            ended=ended,
        )

    def _nps(self, status: str, at_risk: bool) -> int | None:
        rng = self.rng
        if rng.random() < 0.05:
            return None  # never answered the survey
        if status == S.DEFECTED:
            return rng.randint(0, 5)
        return rng.randint(2, 6) if at_risk else NPS.pick(rng)

    def _escalations(self, at_risk: bool) -> int:
        roll = self.rng.random()
        if at_risk:
            return 1 + int(roll * 4)
        return 0 if roll < 0.85 else (1 if roll < 0.95 else 2)

    def _renewal(self, status: str, at_risk: bool) -> date | None:
        if status in ENDED_STATUSES:
            return None
        return self.day(self.today + (self.rng.randint(15, 120) if at_risk else self.rng.randint(1, 365)))

    def _account_links(self, account_id: int, owner: int) -> None:
        """Products (1–4), use cases, competitors displaced, and 0–2 stewards besides the owner."""
        rng, tax = self.rng, self.tax
        for product_id, _ in self.sample(tax.products, ACCOUNT_PRODUCTS):
            self.t_account_products.add((account_id, product_id))
        for use_case_id, _ in self.sample(tax.use_cases, ACCOUNT_USE_CASES):
            self.t_account_use_cases.add((account_id, use_case_id))
        for competitor_id, _ in self.sample(tax.competitors, ACCOUNT_COMPETITORS):
            self.t_account_competitors.add((account_id, competitor_id))
        for steward in rng.sample(self.steward_pool, STEWARDS.pick(rng)):
            if steward != owner:
                self.t_account_stewards.add((account_id, steward))

    def _account_notes(self, account_id, status, owner, since, ended, industry_code) -> None:
        """Why they bought (half of the customers), why they left (every defector), interviews."""
        rng, today, stamp = self.rng, self.today, self.calendar.stamp
        add = self.t_note.add
        industry = words.INDUSTRY_WORDS[industry_code][0].lower()
        if status != S.CANDIDATE and rng.random() < 0.5:
            body = self.text(one_of(rng, words.REASONS_BOUGHT), industry=industry)
            add((account_id, Kind.WHY_BOUGHT, body, owner, stamp(min(since + 30, today - 1))))
        if rng.random() < 0.1:
            body = self.text(one_of(rng, words.INTERVIEW_NOTES), industry=industry)
            add((account_id, Kind.INTERVIEW, body, self.manager_id, stamp(today - rng.randint(1, 700))))
        if rng.random() < 0.05:
            body = self.text(one_of(rng, words.GENERAL_NOTES))
            add((account_id, Kind.GENERAL, body, owner, stamp(today - rng.randint(1, 300))))
        if status == S.DEFECTED:
            add((account_id, Kind.WHY_LEFT, self.text(one_of(rng, words.REASONS_LEFT)), owner, stamp(ended)))

    def _account_history(self, account_id, status, owner, since, ended) -> None:
        """The status changes that led to the account's status (candidate → active → …)."""
        if status == S.CANDIDATE:
            return
        rng, today, stamp = self.rng, self.today, self.calendar.stamp
        add = self.t_status_change.add
        activated = min(since + 90, (ended or today) - 1)
        qualified = "Qualified as a reference by the program."
        add((account_id, S.CANDIDATE, S.ACTIVE, qualified, self.manager_id, stamp(activated)))
        if status == S.DEFECTED:
            warned = max(activated + 1, ended - rng.randint(30, 120))
            add((account_id, S.ACTIVE, S.AT_RISK, "Renewal at risk.", owner, stamp(warned)))
            add((account_id, S.AT_RISK, S.DEFECTED, "Did not renew.", owner, stamp(ended)))
        elif status != S.ACTIVE:
            moved = min(ended or max(activated + 1, today - rng.randint(1, 200)), today - 1)
            add((account_id, S.ACTIVE, status, STATUS_REASONS[status], self.manager_id, stamp(moved)))


def seed(ctx: DemoContext) -> None:
    """Seed the reference catalogue (see the module docstring for what it leaves in `ctx.shared`),
    then shape it for the insights story (references/demo_story.py)."""
    DemoCatalogue(ctx).run()
    demo_story.seed(ctx)
