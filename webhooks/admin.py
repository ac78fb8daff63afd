"""The admin of webhooks: subscriptions (events as checkboxes, the secret shown), and the
deliveries with their attempt log and a "Send again" action. Administrators only: the reference
manager group holds no permission on these models."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from webhooks.models import URL_MAX_LENGTH, Delivery, DeliveryAttempt, Message, Subscription
from webhooks.services import deliveries_resend
from webhooks.statuses import EventType


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=URL_MAX_LENGTH, assume_scheme="https")
    events = forms.MultipleChoiceField(choices=EventType.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "created_by", "created_at"]
    fields = ["name", "url", "events", "is_active", "secret", "created_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the outbox and the delivery tasks; the admin shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id", "event_type", "subscription", "status", "attempts", "last_status_code",
        "next_attempt_at", "delivered_at",
    ]  # fmt: skip
    list_filter = ["status", "message__event_type", "subscription"]
    list_select_related = ["message", "subscription"]
    search_fields = ["=message__webhook_id"]
    readonly_fields = [
        "message", "subscription", "status", "attempts", "next_attempt_at", "delivered_at",
        "last_status_code", "last_error", "payload",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["send_again"]

    @admin.display(description=_("event"), ordering="message__event_type")
    def event_type(self, delivery: Delivery) -> str:
        return delivery.message.event_type

    @admin.display(description=_("payload"))
    def payload(self, delivery: Delivery) -> dict:
        return delivery.message.payload

    @admin.action(description=_("Send again"), permissions=["view"])
    def send_again(self, request, queryset) -> None:
        queued = deliveries_resend(delivery_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, _("%(count)d deliveries queued to send again.") % {"count": queued}, messages.SUCCESS
        )


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["webhook_id", "event_type", "created_at"]
    list_filter = ["event_type"]
    search_fields = ["=webhook_id"]
    fields = ["webhook_id", "event_type", "payload", "created_at"]
    readonly_fields = fields
