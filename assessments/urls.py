from django.urls import path

from . import fhir_views

urlpatterns = [
    path("api/v1/patients/<uuid:pk>/fhir/", fhir_views.PatientBundleView.as_view(), name="patient-fhir"),
    path("api/v1/fhir/Patient", fhir_views.PatientImportView.as_view(), name="fhir-patient-import"),
]
