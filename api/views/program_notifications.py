"""`/api/notifications/`: the signed-in user's own in-app notifications (the bell's), and marking
them read through the same service as the pages (`notifications.services.notification_mark_read`).
Another user's notification is a 404."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import SignedIn
from api.serializers.program_records import MarkedSerializer, NotificationSerializer
from api.views.program_common import FILTER_BACKENDS, ProgramPages
from notifications.models import Notification
from notifications.selectors import inbox
from notifications.services import notification_mark_read


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only unread (true)"
    )

    class Meta:
        model = Notification
        fields = ["unread"]


class NotificationList(generics.ListAPIView):
    """Your notifications, newest first."""

    permission_classes = [SignedIn]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    filter_backends = FILTER_BACKENDS
    pagination_class = ProgramPages
    orderings = {"created_at": "created_at"}
    default_ordering = "-created_at"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return inbox(self.request.user)


class NotificationRead(APIView):
    """Mark one of your notifications read; answers it as it is now."""

    permission_classes = [SignedIn]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notification_mark_read(user=request.user, notification_id=pk)
        notification = get_object_or_404(inbox(request.user), pk=pk)
        return Response(NotificationSerializer(notification).data)


class NotificationsReadAll(APIView):
    """Mark all your notifications read; answers how many were unread."""

    permission_classes = [SignedIn]

    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request: Request) -> Response:
        return Response({"marked": notification_mark_read(user=request.user)})
