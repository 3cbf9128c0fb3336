"""Helpers for the page tests: the methods each kind of page answers, the pages an
app serves, what a request must leave unchanged, and what a page's fields are
described by."""

import re
from html.parser import HTMLParser

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


def mentions(html, word):
    """Whether ``word`` stands on its own in ``html``, not inside a random token
    (a CSRF token or a link's key may hold any short name by chance)."""
    return re.search(rf"(?<![A-Za-z0-9_-]){re.escape(word)}(?![A-Za-z0-9_-])", html) is not None


def last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# Elements that have no end tag.
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Page(HTMLParser):
    """A page's elements by id (with their text), and the ids each element's
    ``aria-describedby`` names."""

    def __init__(self, html):
        super().__init__()
        self.texts = {}  # id: the element's text
        self.id_counts = {}
        self.descriptions = {}  # an element's id (or name): the ids it is described by
        self._open = []  # (tag, id) of the elements not yet closed
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id:
            self.id_counts[element_id] = self.id_counts.get(element_id, 0) + 1
            self.texts.setdefault(element_id, "")
        if attributes.get("aria-describedby"):
            key = element_id or attributes.get("name") or tag
            self.descriptions[key] = attributes["aria-describedby"].split()
        if tag not in VOID_ELEMENTS:
            self._open.append((tag, element_id))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.texts[element_id] += data

    def description_of(self, element_id):
        """The text a screen reader reads as the element's description."""
        return " ".join(" ".join(self.texts[named].split()) for named in self.descriptions[element_id])

    def broken_descriptions(self):
        """Every ``aria-describedby`` that names no element, or an id that is not unique."""
        return [
            (element, named)
            for element, names in self.descriptions.items()
            for named in names
            if self.id_counts.get(named) != 1
        ]
