"""The "Goals" section: the program's targets for a quarter (per team or program-wide) and how far
each has come, drawn as a bar per goal (its share of the target) that opens the rows counted.

The page has its own route (before the sections' generic one) because it reads a quarter
(`?quarter=2026-Q4`, the current one by default) instead of the date-range filters, and carries
the managers' form to set a goal. The section's builder (the tab, the table exports) reads the
quarter holding the segment's last day, so the exports, which get the quarter's start and end,
write the same table the page shows.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role, has_role
from insights.goals import GoalProgress, Quarter, goal_delete, goal_progress, goal_set, years_allowed
from insights.models import GoalMetric, ProgramGoal
from insights.segments import Segment
from portals.insights.goal_forms import GoalForm, QuarterForm
from portals.insights.revenue import facts_note
from portals.insights.sections import SECTIONS, Section, register
from portals.insights.tables import COUNT, MONEY, PERCENT, Chart, Column, Headline, Row, SectionView, Table
from references.models import DealOutcome
from requests_app.statuses import RequestStatus

SLUG = "goals"
TEMPLATE = "portals/insights/goals.html"
# The insights readers, as portals.insights.views.READERS (which imports the sections, so this
# module, imported by them, cannot import it back).
READERS = (Role.MANAGER, Role.EXECUTIVE)

# The rows behind each measure (the drill-down lists of the shared contract) and their filter.
ROWS_BEHIND = {
    GoalMetric.REQUESTS_FULFILLED: ("insights:requests", {"reached": RequestStatus.COMPLETED}),
    GoalMetric.INFLUENCED_REVENUE: ("insights:deals", {"influenced": "yes", "outcome": DealOutcome.WON}),
    GoalMetric.NEW_REFERENCES: ("insights:contacts", {"which": "recruited"}),
}


def rows_behind(metric: str, segment: Segment) -> str:
    """The filtered list of what a goal's value counts, for the quarter and the goal's team."""
    name, extra = ROWS_BEHIND[metric]
    return f"{reverse(name)}?{segment.query(**extra)}"


def _goal_label(goal: ProgramGoal) -> str:
    return f"{goal.team.name if goal.team else 'Program'} · {goal.get_metric_display()}"


def _progress_table(quarter: Quarter, progress: list[GoalProgress]) -> Table:
    rows = tuple(
        Row(
            (_goal_label(each.goal), each.value, each.goal.target, each.share),
            link=rows_behind(each.goal.metric, each.segment),
        )
        for each in progress
    )
    return Table(
        key="goal-progress",
        title=f"Progress against the goals of {quarter}",
        columns=(
            Column("Goal"),
            Column("So far", COUNT),
            Column("Target", COUNT),
            Column("Share of target", PERCENT),
        ),
        rows=rows,
        chart=Chart(kind="bar", horizontal=True, label_column=0, value_columns=(3,)),
        note=(
            f"From {quarter.start:%-d %b %Y} to {quarter.end:%-d %b %Y}. Requests fulfilled: requests that "
            "reached completed in the quarter; influenced revenue: won deals closed in the quarter with a "
            "reference activity or content use on or before their close, in whole US dollars at the rates "
            "RMS keeps; new references: contacts moved from candidate to active. A team's goal counts the "
            "requests its members made, the deals they own and the references at the accounts they own."
        ),
        empty=f"No goals are set for {quarter}.",
    )


def _target_text(progress: GoalProgress) -> str:
    """ "of $200,000 (50 %)": the target and the share reached, under a headline."""
    money = "$" if progress.goal.metric == GoalMetric.INFLUENCED_REVENUE else ""
    share = f" ({progress.share:.0f} %)" if progress.share is not None else ""
    return f"of {money}{progress.goal.target:,.0f}{share}"


def _headlines(progress: list[GoalProgress]) -> list[Headline]:
    headlines = [
        Headline(
            label=each.goal.get_metric_display(),
            value=each.value,
            kind=MONEY if each.goal.metric == GoalMetric.INFLUENCED_REVENUE else COUNT,
            link=rows_behind(each.goal.metric, each.segment),
            detail=_target_text(each),
        )
        for each in progress
        if each.goal.team_id is None
    ]
    reached = sum(each.reached for each in progress)
    headlines.append(Headline(label="Goals reached", value=reached, detail=f"of {len(progress)}"))
    return headlines


def build_quarter(quarter: Quarter, progress: list[GoalProgress]) -> SectionView:
    return SectionView(
        headlines=_headlines(progress),
        tables=[_progress_table(quarter, progress)],
        note=facts_note(),
        recompute=True,
    )


def build(segment: Segment, user) -> SectionView:
    """The tab's builder (exports): the goals of the quarter holding the segment's last day."""
    quarter = Quarter.of(segment.end)
    return build_quarter(quarter, goal_progress(quarter))


register(
    Section(
        slug=SLUG,
        title="Goals",
        build=build,
        summary="The program's targets per quarter and team, and how far each has come.",
    )
)


# --- The page and its forms ---------------------------------------------------------------


def _neighbour(quarter: Quarter) -> str:
    return quarter.code if quarter.year in years_allowed() else ""


def _render(request: HttpRequest, quarter: Quarter, *, quarter_form=None, goal_form=None, status=200):
    may_set = has_role(request.user, Role.MANAGER)
    if may_set and goal_form is None:
        goal_form = GoalForm(quarter=quarter)
    progress = goal_progress(quarter)
    context = {
        "section": SECTIONS[SLUG],
        "sections": SECTIONS.values(),
        "view": build_quarter(quarter, progress),
        "query": quarter.segment().query(),  # the tabs and exports carry the quarter's dates
        "quarter": quarter,
        "quarter_form": quarter_form or QuarterForm(initial={"quarter": quarter.code}),
        "previous_quarter": _neighbour(quarter.previous()),
        "next_quarter": _neighbour(quarter.next()),
        "goal_form": goal_form if may_set else None,
        "goals": progress if may_set else [],
        "may_recompute": may_set,
    }
    return render(request, TEMPLATE, context, status=status)


@role_required(*READERS)
@require_GET
def goals_page(request: HttpRequest) -> HttpResponse:
    form = QuarterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return _render(request, form.chosen(), quarter_form=form, status=status)


@role_required(Role.MANAGER)
@require_POST
def goal_set_view(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            goal = goal_set(actor=request.user, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Goal set: {goal}.")
            return redirect(_page_url(Quarter(goal.year, goal.quarter)))
    quarter = _posted_quarter(form)
    return _render(request, quarter, goal_form=form, status=400)


@role_required(Role.MANAGER)
@require_POST
def goal_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(ProgramGoal.objects.select_related("team"), pk=pk)
    quarter = Quarter(goal.year, goal.quarter)
    try:
        goal_delete(actor=request.user, goal=goal)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Goal removed: {goal}.")
    return redirect(_page_url(quarter))


def _page_url(quarter: Quarter) -> str:
    return f"{reverse('insights:goals')}?quarter={quarter.code}"


def _posted_quarter(form: GoalForm) -> Quarter:
    """The quarter the refused form was for, when it names a valid one (else the current)."""
    data = getattr(form, "cleaned_data", {})
    if "year" in data and "quarter" in data:
        return Quarter(data["year"], data["quarter"])
    return Quarter.current()
