"""Admin for notifications: a read-only record with the delivery state, where permanent failures
show with their error; failed or skipped email can be sent again."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from notifications.delivery import enqueue
from notifications.models import Channel, Notification, NotificationPreference, Status


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "channel", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    list_select_related = ["user", "contact"]
    search_fields = ["title", "key", "email", "user__username", "contact__last_name"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="recipient")
    def recipient(self, obj: Notification) -> str:
        return str(obj.user or obj.contact)

    @admin.action(description="Send the selected failed or skipped emails again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        retry = queryset.filter(channel=Channel.EMAIL, status__in=[Status.FAILED, Status.SKIPPED])
        ids = list(retry.values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(
            status=Status.PENDING, attempts=0, next_attempt_at=None
        )
        transaction.on_commit(lambda: enqueue(ids), robust=True)
        self.message_user(request, f"{len(ids)} email(s) queued again.", messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
