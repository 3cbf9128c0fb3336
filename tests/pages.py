"""Helpers for the page tests: the methods each kind of page answers, the pages an
app serves, and what a request must leave unchanged."""

from django.apps import apps
from django.urls import URLResolver, get_resolver

from clinic.models import AuditEvent

METHODS = ("get", "head", "post", "put", "patch", "delete", "options")
READS = {"get", "head"}
FORMS = {"get", "head", "post"}
ACTIONS = {"post"}
DELIVERIES = {"get"}  # a print or an export, recorded: not for a HEAD


def page_names(module, patterns=None):
    """The URL names of the pages whose views live in ``module``."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from page_names(module, entry.url_patterns)
        elif entry.callback.__module__ == module:
            yield entry.name


def wrong_methods(pages):
    """``(name, method)`` for every method a page of ``pages`` does not answer."""
    return [
        (name, method)
        for name, (_, answered) in pages.items()
        for method in METHODS
        if method not in answered
    ]


def glide_rows():
    """Every row of Glide's own tables (their history included), audit events apart."""
    models = [
        model
        for app in ("clinic", "assessments")
        for model in apps.get_app_config(app).get_models()
        if model is not AuditEvent
    ]
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in models}


def last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
