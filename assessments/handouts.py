"""
Home-exercise handouts: plan -> context -> HTML template -> WeasyPrint -> PDF.

A patient reads the handout alone at home, so it carries everything they need: who
prescribed what, a drawing beside the steps of every movement, the dose in a box, the
stop rules in red, and a log to tick.

Rendering is locked down, because plans carry text typed by people:

* the template autoescapes every user-typed value, and no user text is ever written
  into CSS (the clinic's contact reaches the page footer as an escaped HTML running
  element, not as a CSS ``content:`` string);
* ``StaticFilesFetcher`` serves only the app's own static files under
  ``glide-static:/`` and the clinic logo this module inlines as a PNG ``data:`` URI;
  every other URL (``file://``, ``http(s)://``, paths leaving the static files) is
  refused and nothing follows redirects;
* no file is ever attached to the PDF, whatever the HTML says
  (``<link rel=attachment>``, ``<a rel=attachment>``).
"""

import base64
import hashlib
import io
import logging
import mimetypes
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from clinic import audit
from clinic.models import AuditEvent, Clinic

from .models import Exercise, HandoutPrint, PlanItem

logger = logging.getLogger(__name__)

STATIC_SCHEME = "glide-static"
STATIC_BASE_URL = f"{STATIC_SCHEME}:/"
STYLESHEET = "assessments/handout.css"

# What a handout may load from the static files: drawings and its stylesheet.
STATIC_SUFFIXES = {".svg", ".css", ".png", ".jpg", ".jpeg"}
LOGO_DATA_PREFIX = "data:image/png;base64,"
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000
LOGO_BOX = (900, 300)

PAGE_SIZES = {Clinic.PaperSize.A4: "A4", Clinic.PaperSize.LETTER: "letter"}

# Which tick boxes a day of the log offers: one per session, up to this many; more
# sessions than that get a space to write the count in.
LOG_DAYS = 14
LOG_MAX_TICKS = 3


def clean_static_path(path):
    """``path`` if it names a file a handout may load from the static files, else
    ``None``: relative, normalized, no way out, a drawing or stylesheet suffix."""
    if not path or not isinstance(path, str):
        return None
    if any(char in path for char in "\\\x00:?#") or path.startswith("/"):
        return None
    if posixpath.normpath(path) != path or ".." in path.split("/"):
        return None
    if posixpath.splitext(path)[1].lower() not in STATIC_SUFFIXES:
        return None
    return path


def static_url(path):
    """The handout URL of a static file, or ``None`` if it may not be loaded."""
    path = clean_static_path(path)
    return f"{STATIC_BASE_URL}{path}" if path else None


class StaticFilesFetcher(URLFetcher):
    """Serves ``glide-static:/<path>`` from the app's static files and PNG ``data:``
    URIs (the inlined clinic logo); refuses everything else.

    ``requested`` lists every URL WeasyPrint asked for, in order, refused or not, so
    that a caller (and the tests) can see exactly what a render tried to load.
    """

    def __init__(self):
        super().__init__(allowed_protocols=[STATIC_SCHEME], allow_redirects=False, timeout=1)
        self.requested = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url.startswith(LOGO_DATA_PREFIX):
            try:
                body = base64.b64decode(url[len(LOGO_DATA_PREFIX) :], validate=True)
            except ValueError as error:
                raise URLFetchingError("Malformed logo data") from error
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})
        if not url.startswith(STATIC_BASE_URL):
            raise URLFetchingError(f"Handouts may not fetch {url[:80]!r}")
        relative = clean_static_path(unquote(url[len(STATIC_BASE_URL) :]))
        path = finders.find(relative) if relative else None
        if not path:
            raise URLFetchingError(f"No handout resource at {url[:120]!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


@dataclass
class Handout:
    pdf: bytes
    filename: str
    sha256: str
    paper: str
    page_count: int
    printed: HandoutPrint | None = None


# --- Context -------------------------------------------------------------------


def paper_size_for(plan, paper=None):
    """The clinic's paper size, unless ``paper`` names another known size."""
    if paper in Clinic.PaperSize.values:
        return paper
    return plan.clinic.handout_paper_size


def plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def limb_word(exercise):
    return "arm" if exercise.region == Exercise.Region.UPPER else "leg"


def side_text(item):
    limb = limb_word(item.exercise)
    if item.side == PlanItem.Side.LEFT:
        return f"Your left {limb} only"
    if item.side == PlanItem.Side.RIGHT:
        return f"Your right {limb} only"
    return f"Both {limb}s, one at a time"


def dose_lines(item):
    """The dose box of one exercise, as (label, value) pairs in plain words."""
    hold = (
        f"{plural(item.hold_seconds, 'second', 'seconds')} each time"
        if item.hold_seconds
        else "No hold. Keep moving slowly."
    )
    days = "Every day" if item.days_per_week == 7 else f"{plural(item.days_per_week, 'day', 'days')} a week"
    return [
        ("Do", f"{plural(item.sets, 'set', 'sets')} of {item.reps}"),
        ("Hold", hold),
        ("How often", f"{plural(item.times_per_day, 'time', 'times')} a day"),
        ("Days", days),
        ("Side", side_text(item)),
    ]


def dose_summary(item):
    """The dose on one line, for the list on the first page."""
    days = "every day" if item.days_per_week == 7 else f"{item.days_per_week} days a week"
    side = {"left": f"left {limb_word(item.exercise)}", "right": f"right {limb_word(item.exercise)}"}.get(
        item.side, "both sides"
    )
    hold = f", hold {item.hold_seconds} s" if item.hold_seconds else ""
    times = plural(item.times_per_day, "time", "times")
    return f"{plural(item.sets, 'set', 'sets')} of {item.reps}{hold}, {times} a day, {days}, {side}"


@dataclass
class ExerciseSheet:
    """One exercise as the handout prints it."""

    number: int
    item: PlanItem
    exercise: Exercise
    movements: list
    dose: list
    how_often: str
    summary: str
    log_ticks: range


@dataclass
class MovementSheet:
    number: int
    title: str
    steps: list
    illustration_url: str | None
    illustration_alt: str
    anchor: str


def exercise_sheets(items):
    sheets = []
    for number, item in enumerate(items, start=1):
        movements = [
            MovementSheet(
                number=position,
                title=movement.title,
                steps=list(movement.steps or []),
                illustration_url=static_url(movement.illustration),
                illustration_alt=movement.illustration_alt or movement.title,
                anchor=f"exercise-{number}-movement-{position}",
            )
            for position, movement in enumerate(item.exercise.movements.all(), start=1)
        ]
        sheets.append(
            ExerciseSheet(
                number=number,
                item=item,
                exercise=item.exercise,
                movements=movements,
                dose=dose_lines(item),
                how_often=f"{plural(item.times_per_day, 'time', 'times')} a day",
                summary=dose_summary(item),
                log_ticks=range(item.times_per_day if item.times_per_day <= LOG_MAX_TICKS else 0),
            )
        )
    return sheets


def logo_data_uri(clinic):
    """The clinic's logo re-encoded as a bounded PNG ``data:`` URI, or ``""``.

    The file is read through the media storage here, never by the renderer, and
    re-encoded with Pillow, so whatever was uploaded the PDF only ever receives a
    small, well-formed PNG."""
    if not clinic.logo:
        return ""
    try:
        with clinic.logo.open("rb") as handle:
            raw = handle.read(LOGO_MAX_BYTES + 1)
        if len(raw) > LOGO_MAX_BYTES:
            raise ValueError("the logo file is too large")
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ValueError("the logo has too many pixels")
            image.thumbnail(LOGO_BOX)
            png = io.BytesIO()
            image.convert("RGBA").save(png, format="PNG", optimize=True)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        logger.warning("Clinic %s: logo left out of the handout (%s)", clinic.pk, error)
        return ""
    return LOGO_DATA_PREFIX + base64.b64encode(png.getvalue()).decode("ascii")


def handout_context(plan, paper):
    items = list(
        plan.items.select_related("exercise").prefetch_related("exercise__movements").order_by("order")
    )
    sheets = exercise_sheets(items)
    return {
        "plan": plan,
        "clinic": plan.clinic,
        "patient": plan.patient,
        "therapist": plan.therapist,
        "exercises": sheets,
        "paper": paper,
        "page_size": PAGE_SIZES[paper],
        "stylesheet_url": static_url(STYLESHEET),
        "logo_url": logo_data_uri(plan.clinic),
        "printed_on": timezone.localdate(),
        "log_days": range(1, LOG_DAYS + 1),
        "limbs": sorted({limb_word(sheet.exercise) for sheet in sheets}),
    }


# --- Rendering ----------------------------------------------------------------


def render_html(plan, paper):
    return render_to_string("handouts/plan.html", handout_context(plan, paper))


PDF_OPTIONS = {
    # Tagged PDF: screen readers get the reading order and each drawing's alt text.
    "pdf_tags": True,
    "attachments": None,
}


def render_document(html, url_fetcher=None):
    """Lay out ``html`` with the locked-down fetcher, and drop any attachment it
    asked for."""
    document = HTML(
        string=html, base_url=STATIC_BASE_URL, url_fetcher=url_fetcher or StaticFilesFetcher()
    ).render(**PDF_OPTIONS)
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]
    return document


def render_pdf(html, url_fetcher=None):
    document = render_document(html, url_fetcher)
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def handout_filename(plan, printed_on):
    name = slugify(f"{plan.patient.family_name} {plan.patient.given_name}") or "patient"
    return f"home-exercises-{name}-{printed_on:%Y-%m-%d}.pdf"


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
        pdf=pdf,
    )
    audit.record(
        request, AuditEvent.Action.PRINT, plan, actor=user, sha256=digest, handout_print=str(printed.pk)
    )
    return Handout(
        pdf=pdf,
        filename=handout_filename(plan, timezone.localtime(printed.created_at)),
        sha256=digest,
        paper=paper,
        page_count=page_count,
        printed=printed,
    )
