"""The job's run: one transaction, the steps in order (see limits.usage for what each does)."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from core.dialect import Dialect
from core.statistics import analyze
from limits.models import ContactUsage, LimitPolicy, LimitRun
from limits.notices import limit_changes_notify
from limits.outbound import limits_reached_emit
from limits.usage.applying import apply, changes_find
from limits.usage.changed import scope, take_noted
from limits.usage.judging import judge, parameters
from limits.usage.uses import CountingTypes

JOB_LOCK = 7_243_110_001  # pg_advisory_xact_lock key of this job

WORK_MEM = "64MB"

# A run that wrote at least this many usage rows (or judged everyone) analyzes the table after:
# the next searches and runs plan with its new size at once, not when autovacuum comes by.
LARGE_REWRITE_ROWS = 10_000


TEMP_TABLES = (
    "limits_noted",
    "limits_changed",
    "limits_scope",
    "limits_uses",
    "limits_diff",
    "limits_changes",
    "limits_moves",
)


@dataclass
class UsageResult:
    rows_written: int = 0
    reached: int = 0
    freed: int = 0
    near: int = 0
    rested: int = 0
    reactivated: int = 0
    run_id: int | None = None
    notified: int = 0
    full: bool = False  # every contact judged again, not only those whose inputs changed
    judged: int | None = None  # how many contacts were judged again, when not full

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.rows_written or self.reached or self.freed or self.near or self.rested or self.reactivated
        )


def usage_recompute(*, today: date | None = None, full: bool = False, verify: bool = False) -> UsageResult:
    """Recompute every contact's usage; move contacts in and out of resting; tell people.

    Returns what changed. `full` judges every contact again, as a run does by itself when the
    policy or a rule changed. `verify` finds whom to judge again by every contact's checksum
    rather than by the changes the triggers noted: it catches a change written while the
    triggers were off (a restore with triggers disabled, a TRUNCATE). See limits.usage's docstring
    for the statements and why running it twice (in a row or at once) changes nothing the second
    time.
    """
    today = today or timezone.localdate()
    policy = LimitPolicy.current()
    sql = Dialect.current()
    params = {**parameters(sql, policy, today), "now": timezone.now()}
    result = UsageResult()
    with transaction.atomic(), connection.cursor() as cursor:
        if sql.is_postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JOB_LOCK])
        for name in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if sql.is_postgres:
            # Sorts and hashes over a few hundred thousand rows stay in memory, and no statement
            # waits for a JIT compilation longer than it runs (this transaction only).
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")
        # Every run leaves all stored rows with the key it judged by: one row tells whether the
        # policy or a rule changed since.
        stored_key = ContactUsage.objects.order_by("pk").values_list("rules_key", flat=True).first()
        rewrite = stored_key != params["rules_key"]
        full = full or rewrite
        types = CountingTypes.current()
        take_noted(cursor, sql)
        in_scope = None if full else scope(cursor, sql, types, params, verify=verify)
        result.full = in_scope is None
        if in_scope != 0:
            judge(cursor, sql, types, params, scoped=not result.full)
            changes = changes_find(cursor, sql, params)
            result.reached, result.freed, result.near = changes.reached, changes.freed, changes.near
            if changes.reached:
                limits_reached_emit(cursor=cursor, at=params["now"])
            applied = apply(cursor, params, rewrite=rewrite)
            result.rested, result.reactivated = applied.rested, applied.reactivated
            result.rows_written = applied.rows_written
        result.judged = in_scope
        if result.reached or result.freed or result.near or result.rested or result.reactivated:
            run = LimitRun.objects.create(
                reached=result.reached,
                freed=result.freed,
                near=result.near,
                rested=result.rested,
                reactivated=result.reactivated,
            )
            result.run_id = run.pk
            result.notified = limit_changes_notify(cursor=cursor, run=run)
        for name in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    if result.rows_written and (result.full or result.rows_written >= LARGE_REWRITE_ROWS):
        analyze(ContactUsage)
    return result
