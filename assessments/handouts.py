"""
Home-exercise handouts: plan -> context -> HTML template -> WeasyPrint -> PDF.

The renderer may read only the app's own static files: ``StaticFilesFetcher``
refuses every other URL (``file://``, ``http(s)://``, anything else), so text typed
into a plan can never make the PDF pull in a local file or reach the network.
"""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from clinic import audit
from clinic.models import AuditEvent, Clinic

from .models import HandoutPrint

STATIC_BASE_URL = "glide-static:/"


class StaticFilesFetcher(URLFetcher):
    """Serves ``glide-static:/<path>`` from the app's static files; refuses the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=["glide-static"], allow_redirects=False)

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE_URL):
            raise URLFetchingError(f"Handouts may not fetch {url[:80]!r}")
        relative = url[len(STATIC_BASE_URL) :].lstrip("/").split("?")[0].split("#")[0]
        if ".." in relative.split("/"):
            raise URLFetchingError("Handouts may not leave the static files")
        path = finders.find(relative)
        if not path:
            raise URLFetchingError(f"No static file {relative!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(
            url, body=body, headers={"Content-Type": mimetypes.guess_type(path)[0] or ""}
        )


@dataclass
class Handout:
    pdf: bytes
    filename: str
    sha256: str
    paper: str
    page_count: int


def paper_size_for(plan, paper=None):
    if paper in Clinic.PaperSize.values:
        return paper
    return plan.clinic.handout_paper_size


def handout_context(plan, paper):
    items = list(
        plan.items.select_related("exercise").prefetch_related("exercise__movements").order_by("order")
    )
    return {
        "plan": plan,
        "clinic": plan.clinic,
        "patient": plan.patient,
        "therapist": plan.therapist,
        "items": items,
        "paper": paper,
        "printed_on": timezone.localdate(),
        "log_days": range(1, 15),
    }


def render_html(plan, paper):
    return render_to_string("handouts/plan.html", handout_context(plan, paper))


def render_pdf(html):
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticFilesFetcher()).render()
    return document.write_pdf(), len(document.pages)


def render_plan_handout(plan, *, user, request=None, paper=None):
    """Render ``plan``'s handout, and keep a trace of the print (a ``HandoutPrint``
    and an audit event carrying the PDF's SHA-256)."""
    paper = paper_size_for(plan, paper)
    pdf, page_count = render_pdf(render_html(plan, paper))
    digest = hashlib.sha256(pdf).hexdigest()
    printed = HandoutPrint.objects.create(
        clinic=plan.clinic,
        plan=plan,
        printed_by=user,
        paper_size=paper,
        sha256=digest,
        size_bytes=len(pdf),
        page_count=page_count,
    )
    audit.record(
        request, AuditEvent.Action.PRINT, plan, actor=user, sha256=digest, handout_print=str(printed.pk)
    )
    name = slugify(f"{plan.patient.family_name} {plan.patient.given_name}") or "patient"
    filename = f"home-exercises-{name}-{printed.created_at:%Y-%m-%d}.pdf"
    return Handout(pdf=pdf, filename=filename, sha256=digest, paper=paper, page_count=page_count)
