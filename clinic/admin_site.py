"""
Django's admin, for Glide's own operators only.

The admin shows every clinic's records at once, so it is not a clinic's tool: a
clinic admin manages their clinic in the app, where every list is scoped to their
clinics. Only an active superuser (with ``is_staff``) gets in; ``is_staff`` alone,
as a clinic admin might be given by mistake, is refused at the sign-in form and on
every admin page, with a note saying where clinic staff work instead.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

OPERATORS_ONLY = (
    "This administration is for Glide's own operators only. Clinic admins and therapists "
    "work in the app, where each sees their own clinic."
)


class OperatorAuthenticationForm(AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, "operators_only": OPERATORS_ONLY}

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(self.error_messages["operators_only"], code="operators_only")


class GlideAdminSite(admin.AdminSite):
    site_header = "Glide administration"
    site_title = "Glide"
    index_title = "Clinics, patients and the clinical catalogue"
    login_form = OperatorAuthenticationForm
    login_template = "admin/operators_login.html"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.is_superuser

    def each_context(self, request):
        return {**super().each_context(request), "operators_only": OPERATORS_ONLY}
