"""The admin site: for administrators and, read-mostly, reference managers — nobody else.

Django's default lets in any active `is_staff` user and leaves the rest to model permissions. RMS
decides once, here, on the site: `core.roles.may_use_admin` (active superusers, and active staff
with the Reference manager role). Every admin URL — index, changelists, change forms, actions,
exports, autocomplete, jsi18n, view-on-site, the catch-all — goes through `AdminSite.admin_view`,
which asks `has_permission` and sends anyone else to the admin login page ("not authorised"). The
admin's sign-in form refuses them too, so they are not signed in only to be turned away.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from core.roles import may_use_admin
from core.signin import right_password_refused


class AdminSignInForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        try:
            super().confirm_login_allowed(user)
            if not may_use_admin(user):
                raise ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"username": self.username_field.verbose_name},
                )
        except ValidationError:
            # The password was right: turning the user away here must not count towards a lock-out.
            right_password_refused(self.request, self.cleaned_data.get("username") or "")
            raise


class RMSAdminSite(admin.AdminSite):
    login_form = AdminSignInForm

    def has_permission(self, request) -> bool:
        return may_use_admin(request.user)
