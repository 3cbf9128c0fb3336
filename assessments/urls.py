from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from clinic.api import JSONErrorsMixin
from clinic.views import AuthTokenView, ClinicViewSet, PatientViewSet

from . import pages
from .views import (
    AssessmentViewSet,
    ExerciseViewSet,
    NeuroTestViewSet,
    PatientProgressView,
    PlanHandoutView,
    PlanViewSet,
)


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    """The OpenAPI schema, in YAML or JSON; its errors in the JSON error shape."""


# The REST API, /api/v1/. The clinic's own viewsets are registered here because
# ``clinic`` never imports ``assessments``.
api_router = DefaultRouter()
api_router.register("clinics", ClinicViewSet, basename="clinic")
api_router.register("patients", PatientViewSet, basename="patient")
api_router.register("tests", NeuroTestViewSet, basename="neurotest")
api_router.register("exercises", ExerciseViewSet, basename="exercise")
api_router.register("assessments", AssessmentViewSet, basename="assessment")
api_router.register("plans", PlanViewSet, basename="plan")

api_urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="auth-token"),
    path("patients/<uuid:pk>/progress/", PatientProgressView.as_view(), name="patient-progress"),
    path(
        "plans/<uuid:pk>/handout.pdf",
        PlanHandoutView.as_view(),
        name="plan-handout",
    ),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The docs page loads its initialiser from this same address (``?script``), not
    # inline, so that the Content-Security-Policy (script-src 'self') lets it run.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(api_router.urls)),
]

urlpatterns = [
    path("api/v1/", include((api_urlpatterns, "api"))),
    # Pages
    path("patients/<uuid:pk>/", pages.patient_chart, name="patient-chart"),
    path("patients/<uuid:patient_pk>/assessments/new/", pages.assessment_new, name="assessment-new"),
    path("assessments/interpretation/", pages.interpretation_preview, name="interpretation-preview"),
    path("assessments/<uuid:pk>/", pages.assessment_detail, name="assessment-detail"),
    path("assessments/<uuid:pk>/edit/", pages.assessment_edit, name="assessment-edit"),
    path("assessments/<uuid:pk>/sign/", pages.assessment_sign, name="assessment-sign"),
    path("assessments/<uuid:pk>/addenda/", pages.addendum_add, name="assessment-addendum"),
    path("patients/<uuid:patient_pk>/plans/new/", pages.plan_new, name="plan-new"),
    path("plans/<uuid:pk>/", pages.plan_detail, name="plan-detail"),
    path("plans/<uuid:pk>/edit/", pages.plan_edit, name="plan-edit"),
    path("plans/<uuid:pk>/handout.pdf", pages.plan_handout, name="plan-handout"),
]
