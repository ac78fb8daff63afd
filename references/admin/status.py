"""Reference status in the admin: changed only with a reason, through references.services.

`ReferenceStatusAdminMixin` gives the account and contact admins a read-only status field, the
"Change status (with reason)" action (an intermediate page with the new status and a reason) and a
"Change status" button on the change form; `StatusChangeInline` shows the history, and
`StatusChangeAdmin` lists all of it, read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin_actions import ReadOnlyAdminMixin, export_as_csv
from core.errors import DomainError
from core.text import REASON_MAX_LENGTH
from references import services
from references.admin.visibility import VisibleToUserMixin
from references.models import StatusChange
from references.statuses import ReferenceStatus


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="New status", choices=ReferenceStatus.choices)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=REASON_MAX_LENGTH,
        help_text="Kept in the status history with your name and the time.",
    )


class ReferenceStatusAdminMixin:
    """The "Change status (with reason)" action and change-form button of accounts and contacts.

    Subclasses name their services in `change_status_one` and `change_status_many`.
    """

    change_form_template = "admin/references/status_change_form.html"
    status_template = "admin/references/change_status.html"

    def get_readonly_fields(self, request, obj=None):
        return ["status", *super().get_readonly_fields(request, obj)]

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_change_status"
        view = self.admin_site.admin_view(self.change_status_view)
        return [path("<path:object_id>/status/", view, name=name), *super().get_urls()]

    @admin.action(description="Change status (with reason)", permissions=["change"])
    def change_status(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = StatusChangeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and self._apply(request, form, many=queryset):
            return None  # back to the changelist, which shows the message
        context = {
            "objects": queryset[:20],
            "count": queryset.count(),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return self._render(request, form, context)

    def change_status_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = StatusChangeForm(request.POST or None, initial={"to_status": obj.status})
        if form.is_bound and self._apply(request, form, one=obj):
            opts = self.model._meta
            change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            return HttpResponseRedirect(change_url)
        return self._render(request, form, {"object": obj})

    def _apply(self, request: HttpRequest, form: StatusChangeForm, *, one=None, many=None) -> bool:
        """Call the service; on refusal, put the reason on the form and a message on the page."""
        if form.is_valid():
            data = {**form.cleaned_data, "actor": request.user}
            try:
                if one is not None:
                    changed = self.change_status_one(one, **data)
                    message = f"{changed} is now {changed.get_status_display()}."
                    self.message_user(request, message, messages.SUCCESS)
                else:
                    self._report(request, self.change_status_many(many, **data))
                return True
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        self.message_user(request, "The status was not changed: " + _errors(form), messages.ERROR)
        return False

    def _report(self, request: HttpRequest, result: services.BulkStatusChange) -> None:
        label = ReferenceStatus(result.to_status).label
        plural = self.model._meta.verbose_name_plural
        self.message_user(request, f"{len(result.changed)} {plural} changed to {label}.", messages.SUCCESS)
        if result.unchanged:
            self.message_user(request, f"{len(result.unchanged)} were already {label}.", messages.WARNING)

    def _render(self, request: HttpRequest, form: StatusChangeForm, extra: dict) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Change reference status",
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, self.status_template, context)


def _errors(form: forms.Form) -> str:
    """The form's errors as one sentence for a message, each prefixed with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        parts += [f"{label}: {error}" if label else str(error) for error in errors]
    return " ".join(parts)


class StatusChangeInline(VisibleToUserMixin, ReadOnlyAdminMixin, admin.TabularInline):
    """The status history of an account or contact, newest first; history is never edited."""

    model = StatusChange
    fields = ["changed_at", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields
    extra = 0
    ordering = ["-changed_at", "-id"]
    verbose_name_plural = "status history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(StatusChange)
class StatusChangeAdmin(VisibleToUserMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The status history: readable and exportable, never added, edited or deleted by hand."""

    list_display = ["changed_at", "account", "contact", "from_status", "to_status", "changed_by", "reason"]
    list_filter = ["to_status", "from_status", "changed_at"]
    list_select_related = ["account", "contact", "changed_by"]
    search_fields = ["reason", "account__name", "contact__first_name", "contact__last_name"]
    show_full_result_count = False
    actions = [export_as_csv]
