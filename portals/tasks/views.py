"""My tasks, for every staff user: complete or reassign a task inline (htmx), overdue highlighted.

Without JavaScript the same forms post normally and come back to the list.
"""

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role, has_role
from portals.shared.paging import paginate, query_without
from workflows.models import StepRole, Task
from workflows.selectors import task_counts, task_list, task_rows
from workflows.tasking import (
    ELIGIBLE_ROLES,
    can_work_task,
    finishing_transitions,
    task_complete,
    task_reassign,
)

STAFF = (Role.MANAGER, Role.SALES, Role.MARKETING)
TASKS_PER_PAGE = 50


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
    if has_role(user, Role.MANAGER):
        return reverse("manage:request", args=[task.request_id])
    if task.assignee_role == StepRole.ACCOUNT_OWNER:
        return reverse("sales:approval", args=[task.request_id])
    try:
        return reverse("sales:request", args=[task.request_id])
    except NoReverseMatch:
        return None


def _row_context(task: Task, user, people: dict | None = None, error: str = "") -> dict:
    return {
        "task": task,
        "link": task_link(task, user),
        "can_complete": can_work_task(task, user) and not finishing_transitions(task),
        "can_reassign": has_role(user, Role.MANAGER) or task.assignee_id == user.pk,
        "people": (people or {}).get(task.assignee_role, []),
        "error": error,
    }


@role_required(*STAFF)
def task_list_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, task_list(request.user), per_page=TASKS_PER_PAGE)
    people = _people_by_queue()
    rows = [_row_context(task, request.user, people) for task in page]
    context = {
        "page": page,
        "rows": rows,
        "page_query": query_without(request.GET),
        "section": "tasks",
        "show_manage_nav": has_role(request.user, Role.MANAGER),
    }
    return render(request, "portals/tasks/tasks.html", context)


def _answer(request: HttpRequest, task_id: int, error: DomainError | None, done_message: str) -> HttpResponse:
    task = task_rows().get(pk=task_id)
    if request.headers.get("HX-Request"):
        context = _row_context(task, request.user, _people_by_queue(), error.message if error else "")
        context["nav_counts"] = task_counts(request.user)
        status = error.http_status if error else 200
        return render(request, "portals/tasks/_task_row.html", context, status=status)
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return redirect("tasks:list")


def _task_exists(task_id: int) -> bool:
    return Task.objects.filter(pk=task_id).exists()


@role_required(*STAFF)
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    if not _task_exists(pk):
        return HttpResponse("This task no longer exists.", status=404)
    try:
        task_complete(task_id=pk, actor=request.user)
    except DomainError as error:
        return _answer(request, pk, error, "")
    return _answer(request, pk, None, "Task done.")


@role_required(*STAFF)
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    if not _task_exists(pk):
        return HttpResponse("This task no longer exists.", status=404)
    assignee_id = request.POST.get("assignee", "")
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first() if assignee_id.isdigit() else None
    try:
        if assignee is None:
            raise DomainError("Choose who takes the task.", field="assignee")
        task_reassign(task_id=pk, actor=request.user, assignee=assignee)
    except DomainError as error:
        return _answer(request, pk, error, "")
    name = assignee.get_full_name() or assignee.username
    return _answer(request, pk, None, f"Task reassigned to {name}.")
