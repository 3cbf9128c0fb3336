"""Glide's URLs. The clinical, outcome-measure, interoperability and patient-link apps
are included by dotted path so that ``clinic`` never imports ``assessments``,
``outcomes``, ``interop`` or ``portal``."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import pages

# Answered in the route's format: the API's error shape under /api/, else a page.
handler404 = "clinic.errors.page_not_found"
handler500 = "clinic.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("portal.urls")),
    path("", include("interop.urls")),
    path("", include("assessments.urls")),
    path("", include("outcomes.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("clinic/switch/", pages.switch_clinic, name="clinic-switch"),
    path("", pages.patient_list, name="patient-list"),
    path("patients/new/", pages.patient_add, name="patient-add"),
    path("patients/<uuid:pk>/edit/", pages.patient_edit, name="patient-edit"),
    path("patients/<uuid:pk>/archive/", pages.patient_archive, name="patient-archive"),
    path("patients/<uuid:pk>/restore/", pages.patient_restore, name="patient-restore"),
    path("patients/<uuid:pk>/audit/", pages.patient_audit, name="patient-audit"),
    path("patients/<uuid:pk>/audit.csv", pages.patient_audit_csv, name="patient-audit-csv"),
]
