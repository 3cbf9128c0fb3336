"""The FHIR routes. The API's FHIR addresses come before ``api/v1/`` is included by
``assessments.urls``, so they keep the paths integrators already use."""

from django.urls import path

from . import bulk, pages, views

urlpatterns = [
    path("api/v1/patients/<uuid:pk>/fhir/", views.PatientBundleView.as_view(), name="patient-fhir"),
    path("api/v1/fhir/Patient", views.PatientImportView.as_view(), name="fhir-patient-import"),
]

# FHIR Bulk Data export, asynchronous (interop.bulk).
urlpatterns += [
    path("fhir/Patient/$export", bulk.PatientExportView.as_view(), name="fhir-patient-export"),
    path("fhir/$export", bulk.ClinicExportView.as_view(), name="fhir-clinic-export"),
    path("fhir/bulk-status/<uuid:pk>", bulk.ExportStatusView.as_view(), name="fhir-export-status"),
    path("fhir/bulk-files/<uuid:pk>/<str:name>", bulk.ExportFileView.as_view(), name="fhir-export-file"),
]

# The clinic's exports in the web app (interop.pages).
urlpatterns += [
    path("exports/", pages.export_list, name="export-list"),
    path("exports/<uuid:pk>/", pages.export_detail, name="export-detail"),
    path("exports/<uuid:pk>/download", pages.export_download, name="export-download"),
]
