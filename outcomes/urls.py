"""Outcome measures' API and pages. Included by ``clinic.urls`` by dotted path."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import pages, patient_api, patient_pages, views

router = SimpleRouter()
router.register("instruments", views.InstrumentViewSet, basename="instrument")

api_urlpatterns = [
    path("patients/<uuid:pk>/measures/", views.PatientMeasuresView.as_view(), name="patient-measures"),
    path("portal/measures/", patient_api.PortalMeasuresView.as_view(), name="portal-measures"),
    path("portal/measures/<uuid:pk>/", patient_api.PortalMeasureAnswerView.as_view(), name="portal-measure"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("api/v1/", include((api_urlpatterns, "outcomes-api"))),
    # Pages
    path("patients/<uuid:pk>/measures/new/", pages.measure_new, name="measure-new"),
    path("patients/<uuid:pk>/measures/send/", pages.measure_send, name="measure-send"),
    path("measures/<uuid:pk>/", pages.measure_detail, name="measure-detail"),
    path("measures/", pages.measure_settings, name="measure-settings"),
    path("measures/<slug:code>/wording/", pages.wording_import, name="measure-wording"),
    # The patient's link
    path("p/<str:secret>/measures/<uuid:pk>/", patient_pages.answer_measure, name="patient-measure"),
]
