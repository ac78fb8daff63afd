"""The catalogue admin sees what the portals see: one mixin on every catalogue ModelAdmin and inline
(the other apps' admins are the administrator's alone, by model permissions).

Only administrators and reference managers enter the admin at all (`core.admin_site`); inside it,
the same rules as the portals apply (`references.visibility`), so the admin can never show more:

- rows: `get_queryset` starts from the model's `visible_to(user)`, so changelists, change forms,
  inlines, autocomplete answers, actions and the CSV export (which takes the changelist's rows)
  hold only what the user may see; choices of foreign keys too (`get_field_queryset`), people
  from the program's users;
- contact email and phone (`contact_details` names where a ModelAdmin reaches them: "" on a
  contact, "contact__" on rows of a contact): left out of the list, the form, the search and the
  export for anyone who may not see them (`withheld_fields`, read by `core.admin_actions`). Only
  managers and administrators enter the admin today, and both may: a second line of defence.
"""

from django.contrib.auth import get_user_model

from core.roles import users_with_roles
from references.visibility import CONTACT_DETAIL_FIELDS, sees_contact_details


def _field_name(entry) -> str | None:
    return entry if isinstance(entry, str) else None


class VisibleToUserMixin:
    contact_details: str | None = None  # the path to a contact's fields, or None: no details here

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        model = db_field.remote_field.model
        if model is get_user_model():
            # People are picked from a list of the program's users (owners, teams, stewards,
            # authors): managers hold no permission on users, so the admin's user search is closed.
            return users_with_roles()
        if not hasattr(model._default_manager.none(), "visible_to"):
            return queryset
        if queryset is None:
            queryset = model._default_manager.using(db).all()
        return queryset.visible_to(request.user)

    def withheld_fields(self, request) -> set[str]:
        """The field paths `request.user` may not read through this admin."""
        if self.contact_details is None or sees_contact_details(request.user):
            return set()
        return {f"{self.contact_details}{name}" for name in CONTACT_DETAIL_FIELDS}

    def _without_withheld(self, request, names) -> list:
        withheld = self.withheld_fields(request)
        return [name for name in names if _field_name(name) is None or _bare(name) not in withheld]

    def get_list_display(self, request):
        return self._without_withheld(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._without_withheld(request, super().get_fields(request, obj))

    def get_search_fields(self, request):
        return self._without_withheld(request, super().get_search_fields(request))


def _bare(lookup: str) -> str:
    """A search field's path without its prefix (`^`, `=`, `@`) or lookup (`__exact`)."""
    path = lookup.lstrip("^=@")
    for suffix in ("__iexact", "__exact", "__icontains", "__istartswith", "__search"):
        path = path.removesuffix(suffix)
    return path
