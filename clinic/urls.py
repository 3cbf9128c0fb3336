"""Glide's URLs. The clinical and interoperability apps are included by dotted path
so that ``clinic`` never imports ``assessments`` or ``interop``."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import pages

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("interop.urls")),
    path("", include("assessments.urls")),
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
