"""
What a process keeps between handout renders: each thread reuses its font
configuration and the drawings it has parsed, and never serves a drawing the
locked-down fetcher would not serve again today.
"""

import threading

import pytest
import weasyprint.images

from assessments import handouts
from assessments.handouts import render_pdf

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
    assert recorded_urls == ["glide-static:/reuse-tests/again.svg"] * 2


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
