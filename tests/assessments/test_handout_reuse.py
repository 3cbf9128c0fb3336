"""
What a process keeps between handout renders: each thread reuses its font
configuration, the handout's stylesheet and the drawings it has parsed, and never
serves a drawing or stylesheet the locked-down fetcher would not serve again today.
A render holds Python's garbage collector and frees what it made when it ends.
"""

import gc
import threading

import pytest
import weasyprint.html
import weasyprint.images

from assessments import handouts
from assessments.handouts import render_pdf

from ..factories import handout_plan
from .test_handouts import pdf_text

DRAWING = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 240">
<rect x="10" y="10" width="280" height="220" fill="{fill}"/>
</svg>
"""
PAGE = '<html lang="en"><body><img src="glide-static:/reuse-tests/{name}.svg" alt="A drawing"></body></html>'


@pytest.fixture
def drawings(settings, tmp_path):
    folder = tmp_path / "static" / "reuse-tests"
    folder.mkdir(parents=True)
    settings.STATICFILES_DIRS = [str(tmp_path / "static")]
    return folder


@pytest.fixture
def parsed(monkeypatch):
    """The URL of every drawing WeasyPrint parses, in order."""
    urls = []
    original = weasyprint.images.SVGImage.__init__

    def parse(self, tree, base_url, url_fetcher, context):
        urls.append(base_url)
        original(self, tree, base_url, url_fetcher, context)

    monkeypatch.setattr(weasyprint.images.SVGImage, "__init__", parse)
    return urls


@pytest.fixture
def recorded_urls(monkeypatch):
    urls = []

    class RecordingFetcher(handouts.StaticFilesFetcher):
        def fetch(self, url, headers=None):
            urls.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(handouts, "StaticFilesFetcher", RecordingFetcher)
    return urls


def test_a_drawing_printed_again_is_not_parsed_again_but_still_fetched(drawings, parsed, recorded_urls):
    (drawings / "again.svg").write_text(DRAWING.format(fill="#c3dae4"))

    render_pdf(PAGE.format(name="again"))
    render_pdf(PAGE.format(name="again"))

    assert parsed == ["glide-static:/reuse-tests/again.svg"]
    drawings_fetched = [url for url in recorded_urls if url.endswith(".svg")]
    assert drawings_fetched == ["glide-static:/reuse-tests/again.svg"] * 2


def test_a_drawing_changed_on_disk_is_parsed_afresh(drawings, parsed):
    drawing = drawings / "changed.svg"
    drawing.write_text(DRAWING.format(fill="#c3dae4"))
    first, _ = render_pdf(PAGE.format(name="changed"))

    drawing.write_text(DRAWING.format(fill="#b3261e"))
    second, _ = render_pdf(PAGE.format(name="changed"))

    assert parsed == ["glide-static:/reuse-tests/changed.svg"] * 2
    assert first != second


def test_a_drawing_the_fetcher_now_refuses_is_not_printed_from_memory(drawings, parsed, caplog):
    drawing = drawings / "gone.svg"
    drawing.write_text(DRAWING.format(fill="#c3dae4"))
    render_pdf(PAGE.format(name="gone"))

    drawing.unlink()
    with caplog.at_level("ERROR", logger="weasyprint"):
        render_pdf(PAGE.format(name="gone"))

    assert "Failed to load image" in caplog.text


def test_each_thread_keeps_its_own_drawings(drawings, parsed):
    (drawings / "threads.svg").write_text(DRAWING.format(fill="#c3dae4"))
    render_pdf(PAGE.format(name="threads"))

    other = threading.Thread(target=render_pdf, args=(PAGE.format(name="threads"),))
    other.start()
    other.join()
    render_pdf(PAGE.format(name="threads"))

    assert parsed == ["glide-static:/reuse-tests/threads.svg"] * 2


def test_a_thread_keeps_a_bounded_number_of_drawings(drawings, parsed, monkeypatch):
    monkeypatch.setattr(handouts, "KEPT_DRAWINGS", 2)
    for name in ["a", "b", "c"]:
        (drawings / f"{name}.svg").write_text(DRAWING.format(fill="#c3dae4"))
        render_pdf(PAGE.format(name=name))

    render_pdf(PAGE.format(name="a"))

    assert [url.rsplit("/", 1)[-1] for url in parsed] == ["a.svg", "b.svg", "c.svg", "a.svg"]


@pytest.fixture
def stylesheets_parsed(monkeypatch):
    """The number of times the handout's stylesheet is parsed."""
    parses = []
    original = handouts.CSS

    def parse(*args, **kwargs):
        parses.append(kwargs.get("base_url"))
        return original(*args, **kwargs)

    monkeypatch.setattr(handouts, "CSS", parse)
    return parses


def test_the_stylesheet_is_parsed_once_a_thread_but_fetched_at_every_render(
    drawings, stylesheets_parsed, recorded_urls
):
    (drawings / "styled.svg").write_text(DRAWING.format(fill="#c3dae4"))
    handouts._kept.__dict__.pop("stylesheet", None)

    render_pdf(PAGE.format(name="styled"))
    render_pdf(PAGE.format(name="styled"))

    assert stylesheets_parsed == ["glide-static:/assessments/handout.css"]
    assert recorded_urls.count("glide-static:/assessments/handout.css") == 2


def test_a_stylesheet_changed_on_disk_is_parsed_afresh(settings, tmp_path, stylesheets_parsed):
    folder = tmp_path / "static" / "assessments"
    folder.mkdir(parents=True)
    settings.STATICFILES_DIRS = [str(tmp_path / "static")]
    page = '<html lang="en"><body><p>Your home exercises</p></body></html>'
    handouts._kept.__dict__.pop("stylesheet", None)

    (folder / "handout.css").write_text("p { color: #1f4e66; }")
    blue, _ = render_pdf(page)
    (folder / "handout.css").write_text("p { color: #b3261e; }")
    red, _ = render_pdf(page)

    assert len(stylesheets_parsed) == 2
    assert blue != red


def test_the_templates_own_style_wins_over_the_stylesheet(db):
    """The page number is written in the patient's language by the template: the
    stylesheet's English wording must not take its place."""
    plan, therapist = handout_plan()
    pdf = handouts.render_plan_handout(plan, user=therapist, language="es").pdf

    text = pdf_text(pdf)
    assert "Página 1 de" in text
    assert "Page 1 of" not in text


def test_a_render_holds_the_garbage_collector_and_gives_it_back():
    seen = []
    original = handouts.render_document

    def watched(html, url_fetcher=None):
        seen.append(gc.isenabled())
        return original(html, url_fetcher)

    handouts.render_document, restore = watched, original
    try:
        render_pdf('<html lang="en"><body><p>Tick the log.</p></body></html>')
    finally:
        handouts.render_document = restore

    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_stopped_before_the_render_stays_stopped():
    gc.disable()
    try:
        render_pdf('<html lang="en"><body><p>Tick the log.</p></body></html>')
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_restarts_only_when_the_last_of_overlapping_renders_ends():
    first_inside, let_first_end = threading.Event(), threading.Event()
    states = []

    def first():
        with handouts.collector_held():
            first_inside.set()
            let_first_end.wait(timeout=10)

    other = threading.Thread(target=first)
    other.start()
    first_inside.wait(timeout=10)
    with handouts.collector_held():
        states.append(gc.isenabled())
    states.append(gc.isenabled())
    let_first_end.set()
    other.join()
    states.append(gc.isenabled())

    assert states == [False, False, True]


def test_the_default_stylesheet_leaves_out_only_the_footnote_and_note_rules():
    default = weasyprint.html.UA

    left_out = handouts.FOOTNOTE_AND_NOTE_RULES.findall(default)

    assert left_out == ["footnote", "footnote", "note", "note", "note"]
    assert "::marker" in handouts.FOOTNOTE_AND_NOTE_RULES.sub("", default)


def test_weasyprint_takes_the_handouts_default_stylesheet(monkeypatch):
    asked = []
    original = handouts.HandoutHTML._ua_stylesheets

    def ua_stylesheets(self, forms=False):
        asked.append(forms)
        return original(self, forms)

    monkeypatch.setattr(handouts.HandoutHTML, "_ua_stylesheets", ua_stylesheets)
    render_pdf('<html lang="en"><body><ol><li>Sit tall.</li></ol></body></html>')

    assert len(asked) == 1
