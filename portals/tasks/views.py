"""My tasks, for every staff user: complete or reassign a task inline (htmx), overdue highlighted.

Without JavaScript the same forms post normally and come back to the list.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, InvalidInput
from core.permissions import role_required
from core.roles import Role, has_role
from customers.selectors import open_erasures
from portals.shared.paging import paginate, query_without
from workflows.models import StepRole, Task
from workflows.querysets import ELIGIBLE_ROLES, eligible_assignees
from workflows.selectors import task_counts, task_list, task_rows
from workflows.tasking import (
    can_work_task,
    finishing_transitions,
    task_complete,
    task_reassign,
)

STAFF = (Role.MANAGER, Role.SALES, Role.MARKETING)
TASKS_PER_PAGE = 50
ERASURES_SHOWN = 50  # erasure requests are few; past this many the list says how many more wait


def _people_by_queue() -> dict[str, list[User]]:
    """Who may be given a task of each role (two queries for the whole page)."""
    users = list(
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in Role])
        .distinct()
        .prefetch_related("groups")
        .order_by("first_name", "username")
    )
    for user in users:
        user._rms_roles = {role for role in Role if role.value in {g.name for g in user.groups.all()}}
    return {queue: [u for u in users if u._rms_roles & set(roles)] for queue, roles in ELIGIBLE_ROLES.items()}


def task_link(task: Task, user) -> str | None:
    """Where the work of a task is done for this user."""
    if task.nomination_id is not None:
        if task.is_consent and task.assignee_id == user.pk:
            return reverse("sales:nomination-consent", args=[task.nomination_id])
        return (
            reverse("manage:nomination", args=[task.nomination_id]) if has_role(user, Role.MANAGER) else None
        )
    if has_role(user, Role.MANAGER):
        return reverse("manage:request", args=[task.request_id])
    if task.assignee_role == StepRole.ACCOUNT_OWNER:
        return reverse("sales:approval", args=[task.request_id])
    if task.request.opportunity_id is None:  # a campaign request: its requester works on /content/
        return reverse("content:campaign", args=[task.request_id]) if has_role(user, Role.MARKETING) else None
    try:
        return reverse("sales:request", args=[task.request_id])
    except NoReverseMatch:
        return None


def _row_context(task: Task, user, people: dict | None = None, error: str = "") -> dict:
    return {
        "task": task,
        "link": task_link(task, user),
        "can_complete": can_work_task(task, user) and not task.is_consent and not finishing_transitions(task),
        "can_reassign": (has_role(user, Role.MANAGER) or task.assignee_id == user.pk) and not task.is_consent,
        "people": (people or {}).get(task.assignee_role, []),
        "error": error,
    }


@role_required(*STAFF)
def task_list_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, task_list(request.user), per_page=TASKS_PER_PAGE)
    people = _people_by_queue()
    rows = [_row_context(task, request.user, people) for task in page]
    is_manager = has_role(request.user, Role.MANAGER)
    # Contacts' erasure requests are the program's work, due by a date: shown above the tasks
    # (one query), each opening its confirmation page in /manage/.
    erasures = list(open_erasures()[: ERASURES_SHOWN + 1]) if is_manager else []
    context = {
        "page": page,
        "rows": rows,
        "erasures": erasures[:ERASURES_SHOWN],
        "more_erasures": len(erasures) > ERASURES_SHOWN,
        "page_query": query_without(request.GET),
        "section": "tasks",
        "show_manage_nav": is_manager,
    }
    return render(request, "portals/tasks/tasks.html", context)


def _answer(request: HttpRequest, task: Task, error: DomainError | None, done_message: str) -> HttpResponse:
    """The task's row (htmx) or back to the list. `task` is one the user may see: a refusal shows
    nothing they could not see on their own list."""
    if request.headers.get("HX-Request"):
        # After a refusal, the row only if the task is still the user's to see (a success shows
        # the row they just changed, even when it went to someone else).
        rows = (
            task_rows().filter(pk__in=Task.objects.visible_to(request.user).values("pk"))
            if error
            else task_rows()
        )
        row = rows.filter(pk=task.pk).first()
        if row is None:
            raise Http404("No such task on your list.")
        context = _row_context(row, request.user, _people_by_queue(), error.message if error else "")
        context["nav_counts"] = task_counts(request.user)
        status = error.http_status if error else 200
        return render(request, "portals/tasks/_task_row.html", context, status=status)
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return redirect("tasks:list")


def _visible_task(request: HttpRequest, pk: int) -> Task:
    """A task the user may see and act on; any other id is a 404 that says nothing about it."""
    task = Task.objects.visible_to(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404("No such task on your list.")
    return task


class ReassignForm(forms.Form):
    """Who takes the task: parsed and scoped in one step, among the active users who may be given
    a task of its role (`workflows.querysets.eligible_assignees`)."""

    assignee = forms.ModelChoiceField(User.objects.none())

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = eligible_assignees(task.assignee_role)
        role = task.get_assignee_role_display().lower()
        field.error_messages.update(
            required="Choose who takes the task.",
            invalid_choice=f"That person cannot take a {role} task; choose someone who can.",
        )


@role_required(*STAFF)
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    try:
        task_complete(task_id=task.pk, actor=request.user)
    except DomainError as error:
        return _answer(request, task, error, "")
    return _answer(request, task, None, f"“{task.title}” ({task.about}) is done.")


@role_required(*STAFF)
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    form = ReassignForm(request.POST, task=task)
    try:
        if not form.is_valid():
            raise InvalidInput(form.errors["assignee"][0], field="assignee")
        assignee = form.cleaned_data["assignee"]
        task_reassign(task_id=task.pk, actor=request.user, assignee=assignee)
    except DomainError as error:
        return _answer(request, task, error, "")
    name = assignee.get_full_name() or assignee.username
    return _answer(request, task, None, f"“{task.title}” ({task.about}) is now with {name}.")
