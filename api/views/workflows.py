"""The workflow API: the actions a user may take on a request, taking one, and My tasks.

A transition goes through `workflows.services.request_transition`, as on the pages; its domain
errors become 400 (bad input), 403 (not yours to take) or 409 (someone acted first, or the action
no longer fits) through `api.errors.domain_exception_handler`. A request the user may not see is 404.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import CheckedCursorPagination
from api.permissions import StaffRole
from api.serializers.workflows import (
    ActionSerializer,
    RequestStateSerializer,
    TaskSerializer,
    TransitionInputSerializer,
)
from api.views.flows_tasks import TaskFilter
from requests_app.models import ReferenceRequest
from workflows.models import Task
from workflows.selectors import task_list
from workflows.services import request_transition
from workflows.transitions import RESUME, available_transitions


def _visible_request(user, pk: int) -> ReferenceRequest:
    """Requests the user may see (managers: all; others: their own) and those naming a contact at
    an account they own (to answer the approval); anything else is a 404."""
    visible = ReferenceRequest.objects.visible_to(user).values("pk")
    requests = ReferenceRequest.objects.filter(Q(pk__in=visible) | Q(chosen_contact__account__owner=user))
    return get_object_or_404(requests.select_related("chosen_contact__account"), pk=pk)


class RequestTransitions(APIView):
    """GET: the actions open to you on this request. POST: take one."""

    permission_classes = [StaffRole]

    @extend_schema(responses=ActionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        ref_request = _visible_request(request.user, pk)
        actions = [
            {
                "action": t.action,
                "label": t.label,
                "needs": str(t.needs),
                "target": ref_request.resume_status if t.target == RESUME else t.target,
                "note_required": t.note_required,
            }
            for t in available_transitions(ref_request, request.user)
        ]
        return Response(ActionSerializer(actions, many=True).data)

    @extend_schema(request=TransitionInputSerializer, responses=RequestStateSerializer)
    def post(self, request: Request, pk: int) -> Response:
        ref_request = _visible_request(request.user, pk)
        data = TransitionInputSerializer(data=request.data, context={"ref_request": ref_request})
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        moved = request_transition(
            request_id=ref_request.pk,
            action=payload.pop("action"),
            actor=request.user,
            note=payload.pop("note", ""),
            expected_status=payload.pop("expected_status", "") or None,
            **payload,
        )
        return Response(RequestStateSerializer(moved).data)


class TaskPages(CheckedCursorPagination):
    ordering = ("due_at", "id")
    page_size = 50


class MyTasks(generics.ListAPIView):
    """The open tasks on your list, soonest due first; filter by due time, request, nomination,
    kind, role queue and lateness."""

    permission_classes = [StaffRole]
    serializer_class = TaskSerializer
    pagination_class = TaskPages
    filterset_class = TaskFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation runs without a signed-in user.
            return Task.objects.none()
        return task_list(self.request.user)
