"""The "Fulfilment" insights page: how well the program answers requests.

Its figures come from `insights.fulfilment`; each row links to the requests behind it on the
drill-down list (`insights:requests`, portals/insights/requests.py).
"""

from django.urls import reverse
from django.utils import timezone

from insights import fulfilment as f
from insights.segments import Segment
from portals.insights.sections import Section, register
from portals.insights.tables import (
    COUNT,
    DAYS,
    HOURS,
    PERCENT,
    Chart,
    Column,
    Headline,
    Row,
    SectionView,
    Table,
)
from requests_app.statuses import RequestStatus

HOURS_A_DAY = 24


def _link(segment: Segment, **params) -> str:
    return f"{reverse('insights:requests')}?{segment.query(**params)}"


def _days(hours: float | None) -> float | None:
    return None if hours is None else hours / HOURS_A_DAY


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def status_table(segment: Segment) -> Table:
    counts = f.status_counts(segment)
    rows = tuple(
        Row((RequestStatus(status).label, n), link=_link(segment, status=status)) for status, n in counts
    )
    return Table(
        key="requests-by-status",
        title="Requests by status",
        columns=(Column("Status"), Column("Requests", COUNT)),
        rows=rows,
        chart=Chart("bar"),
        footer=Row(("All requests", sum(n for _status, n in counts)), link=_link(segment)),
        note="Requests created in the range, by the status they are in now, in workflow order.",
    )


def _time_cells(label: str, figures: dict) -> tuple:
    median, p90 = figures["median_hours"], figures["p90_hours"]
    return (label, figures["requests"], median, _days(median), p90, _days(p90))


TIME_COLUMNS = (
    Column("Activity type"),
    Column("Scheduled requests", COUNT),
    Column("Median", HOURS),
    Column("Median", DAYS),
    Column("90th percentile", HOURS),
    Column("90th percentile", DAYS),
)


def time_table(segment: Segment, overall: dict) -> Table:
    rows = tuple(
        Row(
            _time_cells(row["activity_type__name"], row),
            link=_link(segment, activity_type=row["activity_type_id"], scheduled="yes"),
        )
        for row in f.time_to_schedule_by_type(segment)
    )
    return Table(
        key="time-to-schedule",
        title="Time from submitted to scheduled",
        columns=TIME_COLUMNS,
        rows=rows,
        chart=Chart("bar", value_columns=(3, 5)),
        footer=Row(_time_cells("All types", overall), link=_link(segment, scheduled="yes")),
        note=(
            "Requests created in the range that have been scheduled: from their submission to the first "
            "time they were scheduled (a reschedule does not count again), in calendar hours and days; "
            "the median and the 90th percentile interpolate between the two nearest requests."
        ),
        empty="No request created in this range has been scheduled yet.",
    )


def fulfilment_table(segment: Segment, shares: dict) -> Table:
    ended = shares["ended"]
    rows = tuple(
        Row(
            (
                which.label,
                shares[which],
                None if which == f.Fulfilment.STILL_OPEN else _share(shares[which], ended),
            ),
            link=_link(segment, fulfilment=which.value),
        )
        for which in f.Fulfilment
    )
    return Table(
        key="share-fulfilled",
        title="Share fulfilled",
        columns=(Column("Requests"), Column("Count", COUNT), Column("Share of ended", PERCENT)),
        rows=rows,
        chart=Chart("bar"),
        note=(
            "Requests created in the range. The share fulfilled is the requests now completed or closed "
            "÷ the requests that have ended (completed, closed, declined, cancelled or expired); "
            "requests still open are not in it."
        ),
    )


def breaches_table(segment: Segment, steps: list[dict]) -> Table:
    rows = tuple(
        Row(
            (
                f"{row['step__template__name']}: {row['step__order']}. {row['step__name']}",
                row["tasks"],
                row["late"],
                _share(row["late"], row["tasks"]),
            ),
            link=_link(segment, late_step=row["step_id"]),
        )
        for row in steps
    )
    return Table(
        key="breaches",
        title="Service-level breaches by workflow step",
        columns=(
            Column("Step"),
            Column("Tasks", COUNT),
            Column("Late", COUNT),
            Column("Share late", PERCENT),
        ),
        rows=rows,
        chart=Chart("bar", value_columns=(2,), horizontal=True),
        note=(
            "The workflow tasks of the requests created in the range: late when closed (done or skipped) "
            "after their due time, or still open with it passed. A step's link lists the requests with a "
            "late task of that step."
        ),
    )


def _decline_link(segment: Segment, who: str) -> str:
    if who == f.Decliner.EXPIRY:
        return _link(segment, ended=RequestStatus.EXPIRED.value)
    return _link(segment, ended=RequestStatus.DECLINED.value, by=who)


def declines_table(segment: Segment) -> Table:
    rows = tuple(
        Row(
            (
                f.Decliner(who).label,
                "Ends the request" if f.ENDS_REQUEST[who] else "Back to review",
                events,
                with_reason,
            ),
            link=_decline_link(segment, who),
        )
        for who, events, with_reason in f.declines_by_who(segment)
    )
    return Table(
        key="declines",
        title="Declined and expired",
        columns=(Column("Who"), Column("Then"), Column("Times", COUNT), Column("With a reason", COUNT)),
        rows=rows,
        chart=Chart("bar", value_columns=(2,)),
        note=(
            "Declines and expiries in the range (when they happened), of requests of the segment. "
            "A manager's decline ends the request; the account owner's no (or a manager's on their "
            "behalf) and the customer's (in their portal, or told to a manager) send it back to review "
            "for another contact; a request expires when its needed-by date passes undecided. The "
            "reasons are on each row's list."
        ),
    )


def build(segment: Segment, user) -> SectionView:
    overall = f.time_to_schedule(segment)
    shares = f.share_fulfilled(segment)
    steps = f.breaches_by_step(segment, timezone.now())
    tasks, late = sum(row["tasks"] for row in steps), sum(row["late"] for row in steps)
    fulfilled, still_open = shares[f.Fulfilment.FULFILLED], shares[f.Fulfilment.STILL_OPEN]
    headlines = [
        Headline(
            "Median time to schedule",
            _days(overall["median_hours"]),
            DAYS,
            link=_link(segment, scheduled="yes"),
            detail=f"{overall['requests']} requests scheduled",
        ),
        Headline(
            "90th percentile to schedule",
            _days(overall["p90_hours"]),
            DAYS,
            link=_link(segment, scheduled="yes"),
        ),
        Headline(
            "Share fulfilled",
            shares["share"],
            PERCENT,
            link=_link(segment, fulfilment=f.Fulfilment.FULFILLED.value),
            detail=f"{fulfilled} of {shares['ended']} ended; {still_open} open",
        ),
        Headline(
            "Service-level breaches",
            late,
            COUNT,
            link="#figure-breaches",
            detail=f"late, of {tasks} workflow tasks ({_share(late, tasks) or 0:.1f} %)",
        ),
    ]
    tables = [
        status_table(segment),
        time_table(segment, overall),
        fulfilment_table(segment, shares),
        breaches_table(segment, steps),
        declines_table(segment),
    ]
    return SectionView(headlines=headlines, tables=tables)


register(
    Section(
        slug="fulfilment",
        title="Fulfilment",
        build=build,
        summary="How well the program answers requests: how fast, how often, and where it falls short.",
    )
)
