"""`manage.py seed_demo`: fill an empty database with a realistic, repeatable demo program.

Creates the demo users (the only place they are made), then runs every app's demo seeder
(`core.demo_pipeline.demo_seeders()`) in one transaction, so a failure leaves nothing behind.
Then it analyzes every table (the demo filled an empty database), so the planner plans with
figures of the data and not of an empty program.
"""

import random
import time

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from core.demo_pipeline import DemoContext, demo_seeders
from core.roles import Role
from core.statistics import analyze
from references.models import Account

DEMO_PASSWORD = "demo"

# username → (first name, last name, role group or None for the superuser)
DEMO_USERS = {
    "admin": ("Avery", "Collins", None),
    "manager": ("Morgan", "Ellis", Role.MANAGER),
    "sales": ("Sam", "Rivera", Role.SALES),
    "sales2": ("Jordan", "Patel", Role.SALES),
    "marketing": ("Casey", "Nguyen", Role.MARKETING),
    "exec": ("Riley", "Stone", Role.EXECUTIVE),
}


def create_demo_users() -> dict[str, User]:
    """The demo sign-ins, all with the password `demo`, by username."""
    taken = list(User.objects.filter(username__in=DEMO_USERS).values_list("username", flat=True))
    if taken:
        raise CommandError(
            f"Demo user(s) {', '.join(sorted(taken))} already exist; seed_demo only fills an empty database."
        )
    # One hash for them all: hashing is slow on purpose, and these are public demo passwords anyway.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, (first, last, role) in DEMO_USERS.items():
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}@vendor.example",
            password=password,
            # Only the administrator and the reference manager use the admin (core.admin_site).
            is_staff=role in (None, Role.MANAGER),
            is_superuser=role is None,
        )
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))
        users[username] = user
    return users


class Command(BaseCommand):
    help = "Fill an empty database with demo accounts, contacts, deals and activities, and demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, default=1000, help="Customer accounts to create (1000).")
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (successfully) when accounts already exist."
        )

    def handle(self, *args, accounts: int, seed: int, if_empty: bool, **options) -> None:
        if accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        existing = Account.objects.count()
        if existing and if_empty:
            self.stdout.write(f"The database already has {existing:,} accounts; not seeding demo data.")
            return
        if existing:
            raise CommandError(
                f"The database already has {existing:,} accounts; seed_demo only fills an empty database. "
                "Use --if-empty to skip quietly, or start from an empty database (manage.py flush)."
            )
        started = time.monotonic()
        with transaction.atomic():
            ctx = DemoContext(
                rng=random.Random(seed), accounts=accounts, today=timezone.localdate(), stdout=self.stdout
            )
            ctx.users = create_demo_users()
            for seeder in demo_seeders():
                self._run(seeder, ctx)
        analyzed = analyze(*apps.get_models(include_auto_created=True))
        self.stdout.write(f"Planner statistics refreshed for {len(analyzed)} tables.")
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f}s (seed {seed}).")
        self._print_logins()

    def _run(self, seeder, ctx: DemoContext) -> None:
        label = seeder.__module__
        self.stdout.write(f"Seeding {label}…")
        started = time.monotonic()
        seeder(ctx)
        self.stdout.write(f"  {label} took {time.monotonic() - started:.1f}s")

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo sign-ins (password '{DEMO_PASSWORD}'):")
        for username, (first, last, role) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<10} {first} {last} — {role.value if role else 'Administrator'}")
