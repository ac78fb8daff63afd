"""Admin of the insights records: teams (whose members' deals and requests figures per team read),
the program's goals, and who receives the executive digest.

Administrators and reference managers edit them (the Reference manager group holds their model
permissions: insights 0002), like the program's other lists. A goal saved here passes the same
checks as on the goals page (`insights.goals.goal_checked_target`); people are picked from the
program's users, never from the admin's user search (which managers may not use).
"""

from django.contrib import admin
from django.db.models import Count

from core.errors import InvalidInput
from core.roles import Role, users_with_roles
from insights.goals import goal_checked_target
from insights.models import DigestRecipient, ProgramGoal, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team: Team) -> int:
        return team.member_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = users_with_roles(Role.SALES, Role.MANAGER)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ProgramGoalForm(admin.ModelAdmin.form):
    def clean(self):
        data = super().clean()
        named = ("year", "quarter", "metric", "target")
        if all(data.get(name) is not None for name in named):
            try:
                data["target"] = goal_checked_target(**{name: data[name] for name in named})
            except InvalidInput as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


@admin.register(ProgramGoal)
class ProgramGoalAdmin(admin.ModelAdmin):
    form = ProgramGoalForm
    list_display = ["__str__", "year", "quarter", "team", "metric", "target", "set_by", "updated_at"]
    list_filter = ["year", "quarter", "metric", "team"]
    list_select_related = ["team", "set_by"]
    fields = ["year", "quarter", "team", "metric", "target", "set_by", "updated_at"]
    readonly_fields = ["set_by", "updated_at"]

    def save_model(self, request, obj: ProgramGoal, form, change: bool) -> None:
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DigestRecipient)
class DigestRecipientAdmin(admin.ModelAdmin):
    list_display = ["user", "added_by", "created_at"]
    list_select_related = ["user", "added_by"]
    fields = ["user", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # The digest is for the program's readers: reference managers and executives.
            kwargs["queryset"] = users_with_roles(Role.MANAGER, Role.EXECUTIVE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: DigestRecipient, form, change: bool) -> None:
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
