from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from clinic.views import AuthTokenView, ClinicViewSet, PatientViewSet

from .views import (
    AssessmentViewSet,
    ExerciseViewSet,
    NeuroTestViewSet,
    PatientProgressView,
    PlanHandoutView,
    PlanViewSet,
)

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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(api_router.urls)),
]

urlpatterns = [
    path("api/v1/", include((api_urlpatterns, "api"))),
]
