"""
The home-exercise handout, read back from real PDFs.

Text is read with ``pdftotext`` (poppler). Drawings are checked through the PDF's
structure tree: the handout is a tagged PDF, and WeasyPrint writes one ``/Figure``
element, with the drawing's alt text and the page it sits on, for each ``<img>`` whose
picture actually loaded (an image that fails to load becomes plain alt text, with no
figure). WeasyPrint draws SVG as vector content, not as image XObjects, so counting
figures is what says "one drawing per movement, drawn".
"""

import contextlib
import hashlib
import io
import re
import signal
import socket
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from PIL import Image
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from assessments import handouts
from assessments.handouts import StaticFilesFetcher, render_pdf, render_plan_handout
from assessments.models import Exercise, ExerciseMovement, HandoutPrint, PlanItem
from clinic.models import AuditEvent, Clinic

from ..factories import PlanFactory, UserFactory

DRAWING = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 240">
<title>{alt}</title>
<rect x="10" y="10" width="280" height="220" fill="#c3dae4" stroke="#1f3a4d" stroke-width="4"/>
<circle cx="150" cy="80" r="30" fill="#f1d6bf"/>
</svg>
"""

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="/etc/hosts">',
    "</style><style>*{width:99999999999px}</style>",
    "<style>body{margin:999999999999999999999in}</style>",
]

A4 = (595.28, 841.89)
LETTER = (612, 792)


# --- Reading PDFs back ---------------------------------------------------------


def pdf_text(pdf, page=None):
    """The PDF's text, or one page's (1-based), with whitespace runs as one space."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def figures(pdf):
    """(alt text, page number, box) for every ``/Figure`` in the structure tree; the
    box is (left, top, right, bottom) in CSS pixels from the page's top-left corner."""
    reader = PdfReader(io.BytesIO(pdf))
    page_numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            box = tuple(float(value) for value in node["/A"]["/BBox"])
            found.append((str(node.get("/Alt", "")), page_numbers[node.raw_get("/Pg").idnum], box))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def embedded_files(pdf):
    """Every file the PDF carries: in the catalogue's name tree, or behind a
    file-attachment annotation."""
    reader = PdfReader(io.BytesIO(pdf))
    found = list(reader.attachments)
    root = reader.trailer["/Root"]
    if "/Names" in root and "/EmbeddedFiles" in root["/Names"]:
        found.append("/EmbeddedFiles")
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append("/FileAttachment")
    return found


def page_sizes(pdf):
    return {
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in PdfReader(io.BytesIO(pdf)).pages
    }


@contextlib.contextmanager
def finishes_within(seconds):
    def give_up(signum, frame):
        raise TimeoutError(f"The render did not finish within {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def listening_socket():
    """A TCP listener on 127.0.0.1 that must never be called."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener


def connections_received(listener):
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return 0
    connection.close()
    return 1


# --- Fixtures --------------------------------------------------------------------


@pytest.fixture
def drawings(settings, tmp_path):
    """A static-files folder for the test exercises' drawings."""
    folder = tmp_path / "static"
    (folder / "handout-tests").mkdir(parents=True)
    settings.STATICFILES_DIRS = [str(folder)]
    return folder


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def make_exercise(clinic, drawings):
    """A clinic exercise with ``movements`` movements, each with its own drawing."""

    def make(name, movements=2, **fields):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "exercise"
        exercise = Exercise.objects.create(
            clinic=clinic,
            slug=slug,
            name=name,
            kind=Exercise.Kind.SLIDER,
            nerve="sciatic",
            region=Exercise.Region.LOWER,
            purpose=fields.pop("purpose", "Helps the nerve in your leg glide freely."),
            what_to_feel=fields.pop("what_to_feel", "A mild pull behind your knee."),
            precautions=fields.pop("precautions", "Never push into pain."),
            breathing_cue=fields.pop("breathing_cue", "Breathe slowly the whole time."),
            imagery_cue=fields.pop("imagery_cue", "Think of a string gliding back and forth."),
            **fields,
        )
        for order in range(1, movements + 1):
            alt = f"Drawing {order} of {name}"
            path = f"handout-tests/{slug}-{order}.svg"
            (drawings / path).write_text(DRAWING.format(alt=alt))
            ExerciseMovement.objects.create(
                exercise=exercise,
                order=order,
                slug=f"move-{order}",
                title=f"Movement {order} of {name}",
                steps=[f"First step of movement {order}.", "Breathe out.", "Go back slowly."],
                illustration=path,
                illustration_alt=alt,
            )
        return exercise

    return make


@pytest.fixture
def make_plan(clinic, patient, therapist, make_exercise):
    def make(count=3, **plan_fields):
        plan = PlanFactory(
            patient=patient,
            therapist=therapist,
            goals=plan_fields.pop("goals", "Sit through a work meeting"),
            review_date=plan_fields.pop("review_date", None),
            **plan_fields,
        )
        for order in range(count):
            PlanItem.objects.create(
                plan=plan,
                exercise=make_exercise(f"Leg glide number {order + 1}"),
                order=order,
                sets=order + 1,
                reps=8 + order,
                hold_seconds=5 if order == 1 else 0,
                times_per_day=2,
                days_per_week=7 if order != 2 else 5,
                side=[PlanItem.Side.BOTH, PlanItem.Side.LEFT, PlanItem.Side.RIGHT][order % 3],
            )
        return plan

    return make


@pytest.fixture
def plan(make_plan):
    return make_plan(3)


@pytest.fixture
def recorded_urls(monkeypatch):
    """Every URL any handout render asks its fetcher for."""
    urls = []

    class RecordingFetcher(StaticFilesFetcher):
        def fetch(self, url, headers=None):
            urls.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(handouts, "StaticFilesFetcher", RecordingFetcher)
    return urls


# --- What the patient reads ------------------------------------------------------


def test_the_header_names_clinic_patient_therapist_date_and_next_check(plan, therapist):
    plan.review_date = plan.start_date.replace(year=plan.start_date.year + 1)
    plan.save()
    therapist.first_name, therapist.last_name, therapist.credentials = "Dana", "Whitfield", "PT, DPT"
    therapist.save()

    first_page = pdf_text(render_plan_handout(plan, user=therapist).pdf, page=1)

    assert "Harbour Physio" in first_page
    assert "+1 555 0100" in first_page
    assert "Ada Byron" in first_page
    assert "Dana Whitfield, PT, DPT" in first_page
    assert f"{plan.review_date:%B} {plan.review_date.day}, {plan.review_date.year}" in first_page
    assert "Sit through a work meeting" in first_page


def test_every_exercise_is_printed_with_its_name_purpose_steps_and_cues(make_plan, therapist):
    plan = make_plan(3)
    text = pdf_text(render_plan_handout(plan, user=therapist).pdf)

    for item in plan.items.all():
        assert item.exercise.name in text
        for movement in item.exercise.movements.all():
            assert movement.title in text
            assert movement.steps[0] in text
    assert "Helps the nerve in your leg glide freely." in text
    assert "Breathing: Breathe slowly the whole time." in text
    assert "Picture this: Think of a string gliding back and forth." in text
    assert "What you should feel: A mild pull behind your knee." in text


def test_each_dose_is_printed_in_plain_words(plan, therapist):
    text = pdf_text(render_plan_handout(plan, user=therapist).pdf)

    assert "1 set of 8" in text
    assert "2 sets of 9" in text
    assert "3 sets of 10" in text
    assert "5 seconds each time" in text
    assert "2 times a day" in text
    assert "Every day" in text
    assert "5 days a week" in text
    assert "Both legs, one at a time" in text
    assert "Your left leg only" in text
    assert "Your right leg only" in text


def test_the_therapists_own_cues_are_printed(plan, therapist):
    item = plan.items.first()
    item.cues = "Keep the elbows on the thighs"
    item.save()

    assert "From your therapist: Keep the elbows on the thighs" in pdf_text(
        render_plan_handout(plan, user=therapist).pdf
    )


def test_the_stop_rules_open_the_handout_and_come_with_every_exercise(plan, therapist):
    pdf = render_plan_handout(plan, user=therapist).pdf

    first_page = pdf_text(pdf, page=1)
    assert "Stop and call us at +1 555 0100 if:" in first_page
    assert "pins and needles or numbness that does not go away" in first_page
    assert "pain builds" in first_page
    for page in range(2, 2 + plan.items.count()):
        assert "When to stop and call us at +1 555 0100" in pdf_text(pdf, page=page)
        assert "Never push into pain." in pdf_text(pdf, page=page)


def test_an_exercise_without_precautions_still_says_when_to_stop(make_plan, therapist):
    plan = make_plan(1)
    Exercise.objects.filter(plan_items__plan=plan).update(precautions="")

    exercise_page = pdf_text(render_plan_handout(plan, user=therapist).pdf, page=2)

    assert "Stop if you get pins and needles or numbness that does not go away" in exercise_page
    assert "Stop if your pain builds as you go." in exercise_page


def test_every_movement_has_its_drawing_on_the_page_of_its_steps(plan, therapist):
    pdf = render_plan_handout(plan, user=therapist).pdf
    drawn = figures(pdf)

    movements = ExerciseMovement.objects.filter(exercise__plan_items__plan=plan)
    assert len(drawn) == movements.count() == 6
    for movement in movements:
        [page] = [page for alt, page, _ in drawn if alt == movement.illustration_alt]
        assert movement.title in pdf_text(pdf, page=page)


def test_the_drawings_sit_beside_their_steps(make_plan, therapist):
    """The drawing's box and the first step's line share a height on the page, with
    the drawing to the left of the text."""
    plan = make_plan(1)
    pdf = render_plan_handout(plan, user=therapist).pdf
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[1]
    positions = {}
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: positions.setdefault(text.strip(), (tm[4], tm[5]))
    )
    [(_, _, figure_box), _] = figures(pdf)
    x, y = positions["First step of movement 1."]
    _left, top, right, bottom = figure_box
    points = 0.75
    height = float(page.mediabox.height)
    assert right * points < x
    assert height - bottom * points < y < height - top * points


@pytest.mark.parametrize(("exercises", "most_pages"), [(1, 3), (3, 5), (8, 11)])
def test_the_page_count_stays_within_reason(make_plan, therapist, exercises, most_pages):
    handout = render_plan_handout(make_plan(exercises), user=therapist)

    assert exercises + 2 <= handout.page_count <= most_pages
    assert page_count(handout.pdf) == handout.page_count


def test_every_page_carries_its_number_and_the_clinics_contact(plan, therapist):
    handout = render_plan_handout(plan, user=therapist)

    for page in range(1, handout.page_count + 1):
        text = pdf_text(handout.pdf, page=page)
        assert f"Page {page} of {handout.page_count}" in text
        assert "Harbour Physio · Call us: +1 555 0100" in text


def test_the_log_has_fourteen_days_and_a_row_per_exercise(plan, therapist):
    handout = render_plan_handout(plan, user=therapist)
    log = pdf_text(handout.pdf, page=handout.page_count)

    assert "Your two-week log" in log
    assert "Day 1 2 3 4 5 6 7 8 9 10 11 12 13 14" in log
    for item in plan.items.all():
        assert item.exercise.name in log


def test_more_sessions_a_day_than_tick_boxes_leave_the_count_to_write_under_every_day(make_plan, therapist):
    plan = make_plan(1)
    plan.items.update(times_per_day=handouts.LOG_MAX_TICKS + 1)

    handout = render_plan_handout(plan, user=therapist)
    log = pdf_text(handout.pdf, page=handout.page_count)

    assert log.count(f"/{handouts.LOG_MAX_TICKS + 1}") == handouts.LOG_DAYS


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_days_of_the_log_are_drawn_for_the_paper_printed_on(plan, therapist, recorded_urls, paper):
    render_plan_handout(plan, user=therapist, paper=paper)

    assert f"glide-static:/assessments/log-days-{paper}.svg" in recorded_urls


# --- Paper ---------------------------------------------------------------------------


def test_the_clinics_paper_size_is_used(plan, therapist, clinic):
    clinic.handout_paper_size = Clinic.PaperSize.A4
    clinic.save()

    handout = render_plan_handout(plan, user=therapist)

    assert handout.paper == "a4"
    assert page_sizes(handout.pdf) == {A4}


def test_a_print_may_ask_for_another_paper_size(plan, therapist, clinic):
    clinic.handout_paper_size = Clinic.PaperSize.A4
    clinic.save()

    handout = render_plan_handout(plan, user=therapist, paper="letter")

    assert handout.paper == "letter"
    assert page_sizes(handout.pdf) == {LETTER}


def test_an_unknown_paper_size_falls_back_to_the_clinics(plan, therapist):
    handout = render_plan_handout(plan, user=therapist, paper="../../etc")

    assert handout.paper == "letter"
    assert page_sizes(handout.pdf) == {LETTER}


# --- Safety ----------------------------------------------------------------------------


def test_hostile_text_is_printed_literally_fetches_nothing_and_embeds_nothing(
    make_plan, patient, therapist, clinic, recorded_urls
):
    with listening_socket() as listener:
        port = listener.getsockname()[1]
        hostile = [
            *HOSTILE,
            f"@import url(http://127.0.0.1:{port}/x.css);",
            f'<img src="http://127.0.0.1:{port}/">',
        ]
        patient.given_name = hostile[0]
        patient.family_name = hostile[2]
        patient.save()
        clinic.name = f"Clinic {hostile[1]}"
        clinic.save()
        plan = make_plan(1, goals=" ".join(hostile))
        item = plan.items.get()
        item.cues = hostile[5]
        item.save()
        Exercise.objects.filter(pk=item.exercise_id).update(
            breathing_cue=hostile[4], imagery_cue=hostile[3], name=hostile[1]
        )

        with finishes_within(60):
            handout = render_plan_handout(plan, user=therapist)

        assert connections_received(listener) == 0
    # Long unbroken strings wrap where the line ends: compare without whitespace.
    text = re.sub(r"\s", "", pdf_text(handout.pdf))
    for hostile_text in hostile:
        assert re.sub(r"\s", "", hostile_text) in text
    assert embedded_files(handout.pdf) == []
    assert recorded_urls
    assert all(url.startswith("glide-static:/") for url in recorded_urls)
    assert {url.rsplit("/", 1)[-1] for url in recorded_urls} == {
        "handout.css",
        "leg-glide-number-1-1.svg",
        "leg-glide-number-1-2.svg",
        "log-days-letter.svg",
        "log-ticks-2.svg",
    }


def test_user_text_reaches_the_html_escaped(make_plan, patient):
    patient.given_name = '<img src="file:///etc/passwd">'
    patient.save()

    html = handouts.render_html(make_plan(1), "letter")

    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


def test_no_user_text_is_written_into_css(make_plan, patient, clinic):
    clinic.name = 'Evil"; } @page { size: 1px; } x { content: "'
    clinic.save()
    plan = make_plan(1)

    html = handouts.render_html(plan, "letter")
    style_blocks = re.findall(r"<style>(.*?)</style>", html, flags=re.S)

    assert len(style_blocks) == 2
    assert style_blocks[0] == (
        '@page { size: letter; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }'
    )
    static_picture = (
        r'table\.log-grid (tr\.ticks-\d|td\.days) \{ background-image: url\("glide-static:/[\w/.-]+"\); \}'
    )
    assert all(
        re.fullmatch(static_picture, rule)
        for block in style_blocks[1:]
        for rule in block.strip().splitlines()
    )
    assert page_sizes(render_plan_handout(plan, user=plan.therapist).pdf) == {LETTER}


@pytest.mark.parametrize(
    "illustration",
    [
        "file:///etc/passwd",
        "/etc/passwd",
        "../../../../../../etc/passwd",
        "assessments/../../../../etc/passwd.svg",
        "http://127.0.0.1:9/x.svg",
        "glide-static:/../etc/hosts",
    ],
)
def test_a_hostile_drawing_path_loads_nothing(make_plan, therapist, recorded_urls, illustration):
    plan = make_plan(1)
    ExerciseMovement.objects.filter(exercise__plan_items__plan=plan).update(illustration=illustration)

    handout = render_plan_handout(plan, user=therapist)

    assert figures(handout.pdf) == []
    loaded = [url.rsplit("/", 1)[-1] for url in recorded_urls]
    assert loaded == ["handout.css", "log-days-letter.svg", "log-ticks-2.svg"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.svg",
        "glide-static:/../../../../etc/passwd",
        "glide-static:/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "glide-static://etc/passwd",
        "glide-static:/assessments/exercises/",
        "glide-static:/clinic/settings.py",
        "data:text/html;base64,PGgxPmhpPC9oMT4=",
    ],
)
def test_the_fetcher_refuses_anything_but_the_apps_drawings_and_stylesheet(url):
    with pytest.raises(URLFetchingError):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_serves_the_handout_stylesheet():
    response = StaticFilesFetcher().fetch("glide-static:/assessments/handout.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_attachments_asked_for_by_the_html_are_never_embedded(recorded_urls):
    html = """<html><head>
      <link rel="attachment" href="glide-static:/assessments/handout.css" title="styles">
      <link rel="attachment" href="file:///etc/hosts">
    </head><body>
      <a rel="attachment" href="glide-static:/assessments/handout.css">styles</a>
      <p>Hello</p>
    </body></html>"""

    pdf, _ = render_pdf(html)

    assert embedded_files(pdf) == []
    assert b"/EmbeddedFile" not in pdf
    assert "file:///etc/hosts" not in recorded_urls


def test_the_clinic_logo_is_printed_from_a_reencoded_copy(plan, therapist, clinic, media, recorded_urls):
    logo = io.BytesIO()
    Image.new("RGB", (400, 120), "#1f4e66").save(logo, format="PNG")
    clinic.logo.save("logo.png", ContentFile(logo.getvalue()))

    pdf = render_plan_handout(plan, user=therapist).pdf

    images = {image.data for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images}
    assert len(images) == 1
    assert Image.open(io.BytesIO(images.pop())).size == (400, 120)
    assert any(url.startswith("data:image/png;base64,") for url in recorded_urls)
    assert not any(url.startswith("file:") for url in recorded_urls)


def word_boxes(pdf, page):
    """(word, (x0, y0, x1, y1)) for every word ``pdftotext -bbox`` finds on ``page``."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(word, tuple(map(float, box))) for *box, word in re.findall(pattern, result.stdout.decode())]


def overlapping_words(words):
    def overlap(a, b):
        return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5

    return [
        (a, b) for i, (a, box_a) in enumerate(words) for b, box_b in words[i + 1 :] if overlap(box_a, box_b)
    ]


def test_a_long_clinic_name_beside_a_logo_wraps_clear_of_the_title(plan, therapist, clinic, media):
    logo = io.BytesIO()
    Image.new("RGB", (900, 200), "#1f4e66").save(logo, format="PNG")
    clinic.logo.save("logo.png", ContentFile(logo.getvalue()))
    clinic.name = "Harbour Physiotherapy and Sports Rehabilitation Centre of the North Shore"
    clinic.save()

    pdf = render_plan_handout(plan, user=therapist).pdf

    assert overlapping_words(word_boxes(pdf, page=1)) == []


def test_a_logo_that_is_not_an_image_is_left_out(plan, therapist, clinic, media):
    clinic.logo.save("logo.png", ContentFile(b"<svg onload='alert(1)'>not a png</svg>"))

    pdf = render_plan_handout(plan, user=therapist).pdf

    assert "Harbour Physio" in pdf_text(pdf, page=1)
    assert [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images] == []


# --- Trace ---------------------------------------------------------------------------


def test_each_print_leaves_a_handout_print_and_one_audit_event_with_the_pdfs_digest(plan, therapist):
    handout = render_plan_handout(plan, user=therapist)

    digest = hashlib.sha256(handout.pdf).hexdigest()
    assert handout.sha256 == digest
    printed = HandoutPrint.objects.get()
    assert (printed.plan, printed.printed_by, printed.sha256) == (plan, therapist, digest)
    assert (printed.page_count, printed.size_bytes, printed.paper_size) == (
        handout.page_count,
        len(handout.pdf),
        "letter",
    )
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.PRINT)
    assert (event.actor, event.patient, event.object_id) == (therapist, plan.patient, str(plan.pk))
    assert event.detail["sha256"] == digest
    assert event.detail["handout_print"] == str(printed.pk)


def test_the_file_name_says_whose_exercises_and_when(plan, therapist):
    handout = render_plan_handout(plan, user=therapist)

    assert re.fullmatch(r"home-exercises-byron-ada-\d{4}-\d{2}-\d{2}\.pdf", handout.filename)


# --- Fonts ------------------------------------------------------------------------------


def test_weasyprint_subsets_fonts_with_harfbuzz(plan, therapist, caplog):
    """WeasyPrint 70 subsets with HarfBuzz only when ``libharfbuzz-subset0`` loads
    and HarfBuzz is 4.1 or newer (``weasyprint.pdf.fonts.Font.subset``); otherwise it
    falls back to fontTools, about nine times slower, and logs a warning."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "install libharfbuzz-subset0"
    assert harfbuzz.hb_version_atleast(4, 1, 0)

    with caplog.at_level("WARNING", logger="weasyprint"):
        render_plan_handout(plan, user=therapist)
    assert "Using fontTools instead of HarfBuzz-Subset" not in caplog.text


# --- The command ---------------------------------------------------------------------------


def test_render_handout_writes_the_pdf_and_leaves_a_trace(plan, tmp_path):
    output = tmp_path / "handout.pdf"

    call_command("render_handout", str(plan.pk), "-o", str(output), "--paper", "a4")

    pdf = output.read_bytes()
    assert page_sizes(pdf) == {A4}
    assert "Ada Byron" in pdf_text(pdf)
    assert HandoutPrint.objects.get().printed_by == plan.therapist


def test_render_handout_refuses_an_unknown_plan(db, tmp_path):
    with pytest.raises(CommandError, match="No plan"):
        call_command("render_handout", "not-a-uuid", "-o", str(tmp_path / "x.pdf"))


def test_render_handout_refuses_a_user_of_another_clinic(plan, tmp_path, other_clinic):
    stranger = UserFactory(username="stranger")

    with pytest.raises(CommandError, match="not a member"):
        call_command(
            "render_handout", str(plan.pk), "-o", str(tmp_path / "x.pdf"), "--user", stranger.username
        )
