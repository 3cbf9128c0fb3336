"""The FHIR routes. The API's FHIR addresses come before ``api/v1/`` is included by
``assessments.urls``, so they keep the paths integrators already use."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/v1/patients/<uuid:pk>/fhir/", views.PatientBundleView.as_view(), name="patient-fhir"),
    path("api/v1/fhir/Patient", views.PatientImportView.as_view(), name="fhir-patient-import"),
]
