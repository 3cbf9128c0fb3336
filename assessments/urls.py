from django.urls import path

from . import fhir_views, pages

urlpatterns = [
    # API
    path("api/v1/patients/<uuid:pk>/fhir/", fhir_views.PatientBundleView.as_view(), name="patient-fhir"),
    path("api/v1/fhir/Patient", fhir_views.PatientImportView.as_view(), name="fhir-patient-import"),
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
