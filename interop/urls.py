"""The FHIR routes: the API's two FHIR addresses (kept where integrators know them,
before ``api/v1/`` is included by ``assessments.urls``) and the read-only FHIR
server under ``/fhir/``, one read and one search route per resource type. Any
other address under ``/fhir/`` is answered 404 with an OperationOutcome by
``interop.http.FHIRErrorMiddleware``."""

from django.urls import path

from . import bulk, pages, server, views
from .resources import REGISTRY

urlpatterns = [
    path("api/v1/patients/<uuid:pk>/fhir/", views.PatientBundleView.as_view(), name="patient-fhir"),
    path("api/v1/fhir/Patient", views.PatientImportView.as_view(), name="fhir-patient-import"),
    path("fhir/metadata", server.MetadataView.as_view(), name="fhir-metadata"),
    path(
        "fhir/Patient/<uuid:pk>/$everything",
        server.PatientEverythingView.as_view(),
        name="fhir-patient-everything",
    ),
    path("fhir/Binary/<uuid:pk>", server.BinaryView.as_view(), name="fhir-binary-read"),
    path("fhir/CodeSystem", server.CodeSystemSearch.as_view(), name="fhir-codesystem-search"),
    path("fhir/CodeSystem/<slug:name>", server.CodeSystemRead.as_view(), name="fhir-codesystem-read"),
    path(
        "fhir/clinics/<slug:clinic>/CodeSystem/<slug:name>",
        server.ClinicCodeSystemRead.as_view(),
        name="fhir-clinic-codesystem-read",
    ),
    path(
        "fhir/StructureDefinition",
        server.StructureDefinitionSearch.as_view(),
        name="fhir-structuredefinition-search",
    ),
    path(
        "fhir/StructureDefinition/<slug:name>",
        server.StructureDefinitionRead.as_view(),
        name="fhir-structuredefinition-read",
    ),
]
for name in REGISTRY:
    urlpatterns += [
        path(
            f"fhir/{name}",
            server.search_view(name),
            name=f"fhir-{name.lower()}-search",
        ),
        path(
            f"fhir/{name}/<uuid:pk>",
            server.read_view(name),
            name=f"fhir-{name.lower()}-read",
        ),
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
