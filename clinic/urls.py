"""Glide's URLs. The clinical app is included by dotted path so that ``clinic``
never imports ``assessments``."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Glide administration"
admin.site.site_title = "Glide"
admin.site.index_title = "Clinics, patients and the clinical catalogue"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
