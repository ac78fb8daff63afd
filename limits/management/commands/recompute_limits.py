"""`manage.py recompute_limits`: run the burnout-limits job now (what beat runs every hour)."""

import time

from django.core.management.base import BaseCommand

from limits.usage import usage_recompute


class Command(BaseCommand):
    help = (
        "Recompute contacts' usage of their burnout limits now. --verify compares every contact's "
        "uses with what was stored (as the weekly run does); --full judges every contact again, "
        "e.g. after restoring data with the database triggers disabled."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--verify", action="store_true", help="Find changes by checksums, not by notes.")
        group.add_argument("--full", action="store_true", help="Judge every contact again.")

    def handle(self, *args, verify: bool = False, full: bool = False, **options):
        started = time.perf_counter()
        result = usage_recompute(full=full, verify=verify)
        elapsed = time.perf_counter() - started
        judged = "everyone" if result.full else f"{result.judged:,} contacts"
        self.stdout.write(
            f"Burnout limits: judged {judged}, {result.rows_written:,} rows written, "
            f"{result.reached:,} reached a limit, {result.freed:,} freed, "
            f"{result.rested:,} moved to resting, {result.reactivated:,} back to active, in {elapsed:.1f} s."
        )
