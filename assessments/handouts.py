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
import gc
import hashlib
import io
import logging
import mimetypes
import posixpath
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from PIL import Image, UnidentifiedImageError
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.images import SVGImage
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from clinic import audit
from clinic.models import AuditEvent, Clinic

from . import limits, schedule
from .models import Exercise, HandoutPrint, Plan, PlanItem
from .translations import SOURCE_LANGUAGE, exercise_text, supported_language

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
    that a caller (and the tests) can see exactly what a render tried to load;
    ``digests`` the SHA-256 of each static file served, by URL.
    """

    def __init__(self):
        super().__init__(allowed_protocols=[STATIC_SCHEME], allow_redirects=False, timeout=1)
        self.requested = []
        self.digests = {}

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
        self.digests[url] = hashlib.sha256(body).digest()
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


def handout_language(patient, language=None):
    """The language ``patient``'s handout prints in: ``language`` when a print asks
    for one Glide speaks, else the patient's preferred language, else English."""
    return supported_language(language) or supported_language(patient.preferred_language) or SOURCE_LANGUAGE


def is_upper_limb(exercise):
    return exercise.region == Exercise.Region.UPPER


def side_text(item):
    upper = is_upper_limb(item.exercise)
    if item.side == PlanItem.Side.LEFT:
        return _("Your left arm only") if upper else _("Your left leg only")
    if item.side == PlanItem.Side.RIGHT:
        return _("Your right arm only") if upper else _("Your right leg only")
    return _("Both arms, one at a time") if upper else _("Both legs, one at a time")


def sets_text(item):
    return ngettext("%(count)d set of %(reps)d", "%(count)d sets of %(reps)d", item.sets) % {
        "count": item.sets,
        "reps": item.reps,
    }


def times_a_day_text(item):
    return ngettext("%(count)d time a day", "%(count)d times a day", item.times_per_day) % {
        "count": item.times_per_day
    }


def log_caption(item):
    """How often, under the exercise's name in the log: its named days too, so the
    patient knows which of the log's days to tick."""
    if item.weekdays and not item.is_every_day:
        return f"{times_a_day_text(item)}; {schedule.day_names(item.weekdays)}"
    return times_a_day_text(item)


def days_a_week_text(item):
    return ngettext("%(count)d day a week", "%(count)d days a week", item.days_per_week) % {
        "count": item.days_per_week
    }


def dose_lines(item):
    """The dose box of one exercise, as (label, value) pairs in plain words."""
    if item.hold_seconds:
        hold = ngettext("%(count)d second each time", "%(count)d seconds each time", item.hold_seconds) % {
            "count": item.hold_seconds
        }
    else:
        hold = _("No hold. Keep moving slowly.")
    if item.is_every_day:
        days = _("Every day")
    elif item.weekdays:
        days = schedule.day_names(item.weekdays)
    else:
        days = days_a_week_text(item)
    return [
        (pgettext("dose box", "Do"), sets_text(item)),
        (pgettext("dose box", "Hold"), hold),
        (pgettext("dose box", "How often"), times_a_day_text(item)),
        (pgettext("dose box", "Days"), days),
        (pgettext("dose box", "Side"), side_text(item)),
    ]


def dose_summary(item):
    """The dose on one line, for the list on the first page."""
    upper = is_upper_limb(item.exercise)
    if item.is_every_day:
        days = _("every day")
    elif item.weekdays:
        days = _("on %(days)s") % {"days": schedule.day_names(item.weekdays)}
    else:
        days = days_a_week_text(item)
    if item.side == PlanItem.Side.LEFT:
        side = _("left arm") if upper else _("left leg")
    elif item.side == PlanItem.Side.RIGHT:
        side = _("right arm") if upper else _("right leg")
    else:
        side = _("both sides")
    parts = [sets_text(item)]
    if item.hold_seconds:
        parts.append(_("hold %(seconds)d s") % {"seconds": item.hold_seconds})
    parts += [times_a_day_text(item), days, side]
    return ", ".join(parts)


def spreading_rule(sheets):
    """The stop rule about pain that spreads, naming the limbs the plan works."""
    upper = {is_upper_limb(sheet.exercise) for sheet in sheets}
    if upper == {True}:
        return _("the pain spreads further down your arm;")
    if upper == {False}:
        return _("the pain spreads further down your leg;")
    return _("the pain spreads further down your leg or arm;")


PAGE_COUNTERS = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}


def css_string(text):
    """``text`` as a CSS string: letters, digits and spaces as they are, every other
    character as a CSS escape, so nothing can end the string or the stylesheet."""
    return (
        '"' + "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text) + '"'
    )


def page_number_content():
    """The CSS ``content`` of each page's number ("Page 2 of 6") in the handout's
    language. Only the catalogue's words reach the CSS, through ``css_string``."""
    # Translators: the number at the foot of every page of a handout.
    words = _("Page %(page)s of %(pages)s")
    parts = [part for part in re.split(r"(%\((?:page|pages)\)s)", words) if part]
    # Safe inside <style>: CSS strings of escaped characters and two counter() calls.
    return mark_safe(" ".join(PAGE_COUNTERS.get(part) or css_string(part) for part in parts))  # noqa: S308


def fell_back_parts(text):
    """The parts of an exercise printed in English for want of a translation, named
    for the patient ("the name, the steps of picture 2"), or ``""``."""
    names = {
        "name": _("the name"),
        "purpose": _("why"),
        "what_to_feel": _("what you should feel"),
        "precautions": _("when to stop"),
        "breathing_cue": _("breathing"),
        "imagery_cue": _("picture this"),
    }
    movement_parts = {
        "title": _("the title of picture %(number)d"),
        "steps": _("the steps of picture %(number)d"),
        "illustration_alt": _("the description of picture %(number)d"),
    }
    parts = [names[name] for name in text.fell_back]
    for number, movement in enumerate(text.movements, start=1):
        parts += [movement_parts[name] % {"number": number} for name in movement.fell_back]
    return ", ".join(parts)


@dataclass
class ExerciseSheet:
    """One exercise as the handout prints it."""

    number: int
    item: PlanItem
    exercise: Exercise
    text: object
    fell_back: str
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
    lang: dict


def exercise_sheets(items, language):
    sheets = []
    for number, item in enumerate(items, start=1):
        text = exercise_text(item.exercise, language)
        movements = [
            MovementSheet(
                number=position,
                title=movement.title,
                steps=list(movement.steps or []),
                illustration_url=static_url(movement.movement.illustration),
                illustration_alt=movement.illustration_alt or movement.title,
                anchor=f"exercise-{number}-movement-{position}",
                lang=movement.lang,
            )
            for position, movement in enumerate(text.movements, start=1)
        ]
        sheets.append(
            ExerciseSheet(
                number=number,
                item=item,
                exercise=item.exercise,
                text=text,
                fell_back=fell_back_parts(text),
                movements=movements,
                dose=dose_lines(item),
                how_often=log_caption(item),
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


def first_page_extras(plan, request=None):
    """What another app adds to the first page (``GLIDE_HANDOUT_EXTRAS``, a dotted
    path to a function of the plan and the request that returns safe HTML), or "".
    Named by a setting so that this app imports none of the apps that use it."""
    if not settings.GLIDE_HANDOUT_EXTRAS:
        return ""
    return import_string(settings.GLIDE_HANDOUT_EXTRAS)(plan, request)


def handout_context(plan, paper, language, request=None):
    items = list(
        plan.items.select_related("exercise").prefetch_related("exercise__movements").order_by("order")
    )
    sheets = exercise_sheets(items, language)
    return {
        "language": language,
        "plan": plan,
        "clinic": plan.clinic,
        "patient": plan.patient,
        "therapist": plan.therapist,
        "exercises": sheets,
        "paper": paper,
        "page_size": PAGE_SIZES[paper],
        "logo_url": logo_data_uri(plan.clinic),
        "printed_on": plan.clinic.today(),
        "first_page_extras": first_page_extras(plan, request),
        "log_days": range(1, LOG_DAYS + 1),
        "spreading_rule": spreading_rule(sheets),
        "page_number_content": page_number_content(),
    }


# --- Rendering ----------------------------------------------------------------


def render_html(plan, paper, language=SOURCE_LANGUAGE, request=None):
    with translation.override(language):
        return render_to_string("handouts/plan.html", handout_context(plan, paper, language, request))


PDF_OPTIONS = {
    # Tagged PDF: screen readers get the reading order and each drawing's alt text.
    "pdf_tags": True,
    "attachments": None,
}


# WeasyPrint's default stylesheet less its footnote and note rules. They match every
# element, so each element of a handout, which has neither, got the styles of five
# pseudo-elements it never shows: a fortieth of a render.
FOOTNOTE_AND_NOTE_RULES = re.compile(r"^::(footnote|note)-[a-z-]+ \{[^}]*\}\n", flags=re.MULTILINE)
HANDOUT_DEFAULT_STYLESHEET = CSS(
    string=FOOTNOTE_AND_NOTE_RULES.sub("", weasyprint_html.UA), counter_style=weasyprint_html.UA_COUNTER_STYLE
)


class HandoutHTML(HTML):
    """WeasyPrint's ``HTML``, with the handout's default stylesheet."""

    def _ua_stylesheets(self, forms=False):
        if forms:
            return [HANDOUT_DEFAULT_STYLESHEET, weasyprint_html.UA_FORM_STYLESHEET]
        return [HANDOUT_DEFAULT_STYLESHEET]


# What a thread keeps from one render to the next: WeasyPrint's font configuration
# (Pango's font map, the font files it found), the handout's parsed stylesheet and the
# drawings it has parsed. None of them is shared between threads: WeasyPrint draws an
# SVG by setting state on it.
_kept = threading.local()
KEPT_DRAWINGS = 48


class KeptDrawings(dict):
    """WeasyPrint's image cache for one render, backed by the drawings this thread
    parsed in earlier renders (at most ``KEPT_DRAWINGS``, the least recently used
    dropped first).

    A kept drawing is only reused after the render's own fetcher has fetched its URL
    again and returned the same bytes: every URL still goes through the locked-down
    fetcher, and a drawing changed on disk is parsed afresh."""

    def __init__(self, fetcher, kept):
        super().__init__()
        self.fetcher = fetcher
        self.kept = kept

    def digest(self, url):
        return getattr(self.fetcher, "digests", {}).get(url)

    def __contains__(self, url):
        if super().__contains__(url):
            return True
        entry = self.kept.get(url) if isinstance(url, str) else None
        if entry is None:
            return False
        try:
            self.fetcher.fetch(url)
        except URLFetchingError:
            return False
        if self.digest(url) != entry[0]:
            return False
        self.kept.move_to_end(url)
        super().__setitem__(url, entry[1])
        return True

    def __setitem__(self, url, image):
        super().__setitem__(url, image)
        digest = self.digest(url) if isinstance(url, str) else None
        if digest and isinstance(image, SVGImage):
            self.kept[url] = (digest, image)
            self.kept.move_to_end(url)
            while len(self.kept) > KEPT_DRAWINGS:
                self.kept.popitem(last=False)


_collector_lock = threading.Lock()
_renders_holding_collector = 0
_collector_held_by_renders = False


@contextmanager
def collector_held():
    """Hold Python's cyclic garbage collector for the length of a render.

    A render makes tens of thousands of objects that live until it ends, so the
    collector, left running, promotes them and then walks the whole process (Django,
    fonts, the kept drawings) in a full collection every other render: a third of the
    render's time. Held, it runs once at the end over the render's own young objects,
    which frees the document's cycles at once. Renders on other threads share the
    hold; the collector restarts when the last of them ends, and only if a render
    stopped it."""
    global _renders_holding_collector, _collector_held_by_renders
    with _collector_lock:
        if _renders_holding_collector == 0 and gc.isenabled():
            gc.disable()
            _collector_held_by_renders = True
        _renders_holding_collector += 1
    try:
        yield
    finally:
        with _collector_lock:
            _renders_holding_collector -= 1
            if _renders_holding_collector == 0 and _collector_held_by_renders:
                _collector_held_by_renders = False
                gc.enable()
        gc.collect(0)


def kept_stylesheet(url_fetcher):
    """The handout's stylesheet, parsed once a thread: fetched through the render's
    own fetcher every time, and parsed again when its bytes change.

    It reaches WeasyPrint as a user stylesheet, so the template's own ``<style>``
    (the page size, the page number in the patient's language) wins over it, as it
    did when the template linked it."""
    url = static_url(STYLESHEET)
    body = url_fetcher.fetch(url).read()
    digest = hashlib.sha256(body).digest()
    kept = getattr(_kept, "stylesheet", None)
    if kept is None or kept[0] != digest:
        kept = (digest, CSS(string=body.decode("utf-8"), base_url=url, url_fetcher=url_fetcher))
        _kept.stylesheet = kept
    return kept[1]


def render_document(html, url_fetcher=None):
    """Lay out ``html`` with the handout's stylesheet and the locked-down fetcher,
    and drop any attachment it asked for. The font configuration, the stylesheet
    and the parsed drawings of the thread's earlier renders are reused."""
    if not hasattr(_kept, "font_config"):
        _kept.font_config = FontConfiguration()
        _kept.drawings = OrderedDict()
    url_fetcher = url_fetcher or StaticFilesFetcher()
    document = HandoutHTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=url_fetcher).render(
        stylesheets=[kept_stylesheet(url_fetcher)],
        font_config=_kept.font_config,
        cache=KeptDrawings(url_fetcher, _kept.drawings),
        **PDF_OPTIONS,
    )
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]
    return document


def render_pdf(html, url_fetcher=None):
    with collector_held():
        document = render_document(html, url_fetcher)
        pdf, page_count = document.write_pdf(**PDF_OPTIONS), len(document.pages)
        # Dropped before the collector runs, so that it frees the document's cycles
        # rather than walking the whole live document to keep it.
        del document
    return pdf, page_count


def handout_filename(plan, printed_on, language=SOURCE_LANGUAGE):
    with translation.override(language):
        name = slugify(f"{plan.patient.family_name} {plan.patient.given_name}") or _("patient")
        # Translators: the start of a handout's file name; lower case, words joined by hyphens.
        prefix = _("home-exercises")
        return f"{prefix}-{name}-{printed_on:%Y-%m-%d}.pdf"


class HandoutTooLarge(ValidationError):
    """The plan would print more than a handout may hold (``assessments.limits``)."""


def check_printable(plan):
    """The render's ceiling, checked before any layout: a plan written before
    today's limits, or whose exercises grew since, is refused with the reason."""
    errors = limits.plan_size_errors(plan.goals, plan.items.select_related("exercise"))
    if errors:
        raise HandoutTooLarge(
            {name: ValidationError(message, code="too_large") for name, message in errors.items()}
        )


def render_plan_handout(plan, *, user, request=None, paper=None, language=None):
    """Render ``plan``'s handout in the patient's language (or ``language``), and
    keep a trace of the print (a ``HandoutPrint`` and an audit event carrying the
    PDF's SHA-256)."""
    return record_print(
        render_handout(plan, request=request, paper=paper, language=language), user=user, request=request
    )


def render_handout(plan, *, request=None, paper=None, language=None):
    """The handout's PDF, not yet a print: ``record_print`` makes it one. A batch
    renders every handout first and records them once the whole batch is kept."""
    check_printable(plan)
    paper = paper_size_for(plan, paper)
    language = handout_language(plan.patient, language)
    pdf, page_count = render_pdf(render_html(plan, paper, language, request))
    return RenderedHandout(plan, pdf, page_count, paper, language)


@dataclass
class RenderedHandout:
    plan: Plan
    pdf: bytes
    page_count: int
    paper: str
    language: str


def record_print(rendered, *, user, request=None):
    """Keep the trace of a handout handed out: its ``HandoutPrint`` (with the PDF)
    and one audit event."""
    plan, pdf = rendered.plan, rendered.pdf
    digest = hashlib.sha256(pdf).hexdigest()
    printed = HandoutPrint.objects.create(
        clinic=plan.clinic,
        plan=plan,
        printed_by=user,
        paper_size=rendered.paper,
        sha256=digest,
        size_bytes=len(pdf),
        page_count=rendered.page_count,
        pdf=pdf,
        language=rendered.language,
    )
    audit.record(
        request,
        AuditEvent.Action.PRINT,
        plan,
        actor=user,
        sha256=digest,
        handout_print=str(printed.pk),
        language=rendered.language,
    )
    return Handout(
        pdf=pdf,
        filename=handout_filename(plan, plan.clinic.local(printed.created_at), rendered.language),
        sha256=digest,
        paper=rendered.paper,
        page_count=rendered.page_count,
        printed=printed,
    )
