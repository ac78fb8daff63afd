"""API keys in the admin (administrators only): every user's keys, made and revoked through the
same services as the profile page. A key made here is shown once, on the page answering the add
(never in a message, which would sit in a cookie or the session); the hash is never shown."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from rest_framework_api_key.models import APIKey

from core.errors import InvalidInput
from integrations.keys import api_key_create, api_key_revoke, api_key_validate
from integrations.models import ApiKey, KeyScope

# The library's own key model is unused: keys are integrations.ApiKey, one user's each.
admin.site.unregister(APIKey)

SHOWN = [
    "user",
    "name",
    "prefix",
    "scopes",
    "created",
    "expiry_date",
    "last_used_at",
    "revoked",
    "revoked_at",
]


class ApiKeyAddForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=KeyScope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ["user", "name", "scopes", "expiry_date"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            api_key_validate(
                user=cleaned["user"],
                name=cleaned["name"],
                scopes=cleaned["scopes"],
                expires_at=cleaned.get("expiry_date"),
            )
        except InvalidInput as error:
            self.add_error({"expires_at": "expiry_date"}.get(error.field, error.field), error.message)
        return cleaned


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scopes", "created", "expiry_date", "last_used_at", "revoked"]
    list_filter = ["revoked", "created", "expiry_date"]
    list_select_related = ["user"]
    search_fields = ["name", "=prefix", "user__username", "user__email"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ApiKeyAddForm.Meta.fields if obj is None else SHOWN

    def get_readonly_fields(self, request, obj=None):
        # Only the name changes once a key exists; revoking is the action (it stamps the time).
        return [] if obj is None else [field for field in SHOWN if field != "name"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the row is the key's history

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw_key = api_key_create(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expiry_date"],
        )
        for field in ("id", "prefix", "hashed_key", "created", "scopes", "name"):
            setattr(obj, field, getattr(key, field))
        obj._state.adding, obj._state.db = False, key._state.db
        request._new_api_key = raw_key  # shown once by response_add, stored nowhere

    def response_add(self, request, obj, post_url_continue=None):
        raw_key = getattr(request, "_new_api_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "key": obj, "raw_key": raw_key}
        response = TemplateResponse(request, "admin/integrations/apikey/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        with transaction.atomic():
            keys = list(queryset.filter(revoked=False))
            for key in keys:
                api_key_revoke(key=key)
        self.message_user(
            request, f"{len(keys)} key(s) revoked: they are refused from now on.", messages.SUCCESS
        )
