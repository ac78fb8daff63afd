"""The "Utilization" insights page: who is being worn out, who is never asked. The figures are
`insights.utilization`'s; every row links to the contacts behind it (`insights:contacts`)."""

from django.urls import reverse
from django.utils import timezone

from insights import utilization
from insights.contact_lists import Which
from insights.segments import Segment
from insights.usage_counts import HISTOGRAM_TOP, PROMOTER_NPS
from portals.insights.sections import Section, register
from portals.insights.tables import COUNT, PERCENT, Chart, Column, Headline, Row, SectionView, Table


def contacts_link(segment: Segment, which: str, **extra) -> str:
    return f"{reverse('insights:contacts')}?{segment.query(which=which, **extra)}"


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _histogram_table(segment: Segment, histogram: utilization.Histogram) -> Table:
    top = HISTOGRAM_TOP
    rows = tuple(
        Row(
            (f"{bar}+" if bar == top else str(bar), contacts, done),
            link=contacts_link(segment, Which.ACTIVE, activities=bar),
        )
        for bar, contacts, done in histogram.bars
    )
    return Table(
        key="activities-per-reference",
        title="Activities per reference",
        columns=(Column("Activities in the range"), Column("References", COUNT), Column("Activities", COUNT)),
        rows=rows if histogram.contacts else (),
        chart=Chart("bar", value_columns=(1,)),
        footer=Row(
            ("All active references", histogram.contacts, histogram.activities),
            contacts_link(segment, Which.ACTIVE),
        ),
        note=(
            "Contacts counted by the activities they did in the range (by the day each occurred), for "
            "the segment's reference accounts; a contact with none in the range is not in a bar."
        ),
    )


def _limits_table(segment: Segment, shares: dict) -> Table:
    references = shares["references"]
    rows = (
        Row(
            ("At a limit", shares["limited"], _percent(shares["limited"], references)),
            contacts_link(segment, Which.AT_LIMIT),
        ),
        Row(
            ("Near a limit", shares["near"], _percent(shares["near"], references)),
            contacts_link(segment, Which.NEAR_LIMIT),
        ),
    )
    return Table(
        key="limits-now",
        title="References at or near a limit, now",
        columns=(Column("Where"), Column("References", COUNT), Column("Share of references", PERCENT)),
        rows=rows,
        footer=Row(("All references (active or resting)", references, None)),
        note=(
            "Today, whatever the range: the limits job's latest verdict for each active or resting "
            "contact of the segment (near: within the program's free-slot margin of a limit)."
        ),
    )


def _resting_table(segment: Segment, now: int, points: list[utilization.Point]) -> Table:
    return Table(
        key="resting-over-time",
        title="Resting references over time",
        columns=(Column("At the end of"), Column("Resting", COUNT)),
        rows=tuple(Row((point.label, point.resting)) for point in points),
        chart=Chart("line", value_columns=(1,)),
        footer=Row(("Resting now", now), contacts_link(segment, Which.RESTING)),
        note=(
            "Contacts resting at the end of each month of the range (each quarter for ranges past two "
            "years; the last point at the range's end), rebuilt from today's count and the status "
            "history: moves into resting since then are taken off, moves out of it added back."
        ),
    )


def _concentration_table(segment: Segment, shares: utilization.Concentration) -> Table:
    top_link = contacts_link(segment, Which.TOP)
    top_five_link = contacts_link(segment, Which.TOP_FIVE)
    five = min(utilization.TOP_REFERENCES, shares.pool)
    rows = (
        Row(
            (
                f"Top {utilization.TOP_REFERENCES} references",
                five,
                shares.top_five,
                _percent(shares.top_five, shares.activities),
            ),
            top_five_link,
        ),
        Row(
            (
                f"Top {utilization.TOP_PERCENT}% of the pool",
                shares.top_share_size,
                shares.top_share,
                _percent(shares.top_share, shares.activities),
            ),
            top_link,
        ),
    )
    return Table(
        key="concentration",
        title="Concentration: who does the work",
        columns=(
            Column("Who"),
            Column("References", COUNT),
            Column("Activities", COUNT),
            Column("Share of activities", PERCENT),
        ),
        rows=rows,
        footer=Row(
            ("The pool", shares.pool, shares.activities, _percent(shares.activities, shares.activities))
        ),
        note=(
            "The pool: the segment's contacts in the program (active, resting, paused or at risk) and "
            "anyone who did an activity in the range. Ranked by activities in the range, ties by the "
            "contact's id; the top 10% is rounded up. Each row opens its references, most active first."
        ),
    )


def _give_back_table(segment: Segment, balance: dict) -> Table:
    rows = (
        Row(("Asks", balance["asks"])),
        Row(("Give-backs", balance["given"])),
        Row(
            (f"Contacts asked {utilization.UNTHANKED_ASKS}+ times, nothing given back", balance["unthanked"]),
            contacts_link(segment, Which.UNTHANKED),
        ),
    )
    return Table(
        key="asks-give-back",
        title="Asks against give-back",
        columns=(Column("What"), Column("In the range", COUNT)),
        rows=rows,
        note=(
            "Counted as the give-back page counts them: asks are the activities a contact did in the "
            "range plus the requests that reached them there without an activity yet; give-backs are "
            "those given in the range. For the segment's contacts (an activity-type filter picks "
            "contacts willing to do that type; all their asks count)."
        ),
    )


def _limit_headline(segment: Segment, label: str, shares: dict, key: str, which: str) -> Headline:
    count, references = shares[key], shares["references"]
    detail = f"{count} of {references} references"
    return Headline(label, _percent(count, references), PERCENT, contacts_link(segment, which), detail)


def build(segment: Segment, user) -> SectionView:
    today = timezone.localdate()
    counts = utilization.usage_counts(segment, utilization.resting_since(segment, today))
    histogram, shares, balance = counts.spread.histogram(), counts.limits, counts.balance
    resting, points = utilization.resting_now_and_series(
        segment, today, now=counts.resting, moves=counts.moves
    )
    concentrated = utilization.concentration(segment, counts.spread)
    promoters = counts.promoters
    mean = f"{histogram.mean:.1f}" if histogram.mean is not None else None
    headlines = [
        Headline(
            "Active references",
            histogram.contacts,
            COUNT,
            contacts_link(segment, Which.ACTIVE),
            f"{mean} activities each on average" if mean else "",
        ),
        _limit_headline(segment, "At a limit now", shares, "limited", Which.AT_LIMIT),
        _limit_headline(segment, "Near a limit now", shares, "near", Which.NEAR_LIMIT),
        Headline(
            f"Done by the top {utilization.TOP_PERCENT}%",
            _percent(concentrated.top_share, concentrated.activities),
            PERCENT,
            contacts_link(segment, Which.TOP),
            f"{concentrated.top_share_size} of {concentrated.pool} in the pool; top 5: "
            f"{concentrated.top_five} of {concentrated.activities} activities",
        ),
        Headline(
            "Promoters never asked",
            promoters,
            COUNT,
            contacts_link(segment, Which.PROMOTERS),
            f"Active contacts at accounts with NPS {PROMOTER_NPS}+, never chosen, no activity",
        ),
        Headline(
            "Asked much, given nothing",
            balance["unthanked"],
            COUNT,
            contacts_link(segment, Which.UNTHANKED),
            f"Asked {utilization.UNTHANKED_ASKS}+ times in the range",
        ),
    ]
    tables = [
        _histogram_table(segment, histogram),
        _limits_table(segment, shares),
        _resting_table(segment, resting, points),
        _concentration_table(segment, concentrated),
        _give_back_table(segment, balance),
    ]
    return SectionView(
        headlines=headlines, tables=tables, note="Limits are as of now; everything else reads the range."
    )


register(
    Section(
        slug="utilization",
        title="Utilization",
        build=build,
        summary="Who is being worn out, and who is never asked.",
    )
)
