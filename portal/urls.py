"""The patient's link: the clinic's API and pages, the patient's page and API.
Included from ``clinic/urls.py`` by dotted path."""

from django.urls import path

from . import pages, views

app_name = "portal"

urlpatterns = [
    # The clinic's API
    path("api/v1/plans/<uuid:plan_pk>/links/", views.PlanLinksView.as_view(), name="api-plan-links"),
    path(
        "api/v1/plans/<uuid:plan_pk>/links/<uuid:pk>/revoke/",
        views.PlanLinkRevokeView.as_view(),
        name="api-plan-link-revoke",
    ),
    path(
        "api/v1/plans/<uuid:plan_pk>/adherence/", views.PlanAdherenceView.as_view(), name="api-plan-adherence"
    ),
    # The patient's API
    path("api/v1/portal/plan/", views.PortalPlanView.as_view(), name="api-portal-plan"),
    path("api/v1/portal/sessions/", views.PortalSessionsView.as_view(), name="api-portal-sessions"),
    path("api/v1/portal/sessions/<uuid:pk>/", views.PortalSessionView.as_view(), name="api-portal-session"),
    # The patient's pages
    path("p/<str:secret>/", pages.plan, name="plan"),
    path("p/<str:secret>/sessions/", pages.log_session, name="log-session"),
    path("p/<str:secret>/sessions/<uuid:pk>/", pages.correct_session, name="correct-session"),
    # The clinic's pages
    path("plans/<uuid:pk>/links/", pages.link_create, name="link-create"),
    path("plans/<uuid:plan_pk>/links/<uuid:pk>/revoke/", pages.link_revoke, name="link-revoke"),
    path("alerts/", pages.alert_list, name="alerts"),
    path("alerts/<uuid:pk>/acknowledge/", pages.alert_acknowledge, name="alert-acknowledge"),
]
