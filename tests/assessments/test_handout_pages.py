"""
The handout's pages, looked at as pictures.

The three-exercise handout of ``tests.factories.handout_plan`` (the one
``bench/handout.py`` times) is rendered, each page
turned into a grey picture by ``pdftoppm``, and compared with the pictures committed
under ``handout_pages/``. Anti-aliasing may move a little; a block that moves, grows,
or changes its colour, a line that wraps elsewhere, or a drawing that changes shape
shows as a page that differs.

After a change meant to be seen, draw the references again and look at them before
committing them::

    GLIDE_DRAW_HANDOUT_PAGES=1 .venv/bin/pytest tests/assessments/test_handout_pages.py
"""

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from assessments.handouts import render_plan_handout
from clinic.models import Clinic

from ..factories import handout_plan

REFERENCES = Path(__file__).parent / "handout_pages"
DPI = 60
PRINTED_ON = datetime.date(2026, 12, 1)

# A pixel "differs" when its grey moves by more than a quarter of the scale; a page
# may hold a few such pixels (edges of text and drawings that anti-aliasing moves),
# and its pixels may differ by a little on average.
DIFFERS = 64
MOST_DIFFERING_SHARE = 0.002
MOST_MEAN_DIFFERENCE = 0.6


def render_pages(pdf, folder):
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-", str(folder / "page")], input=pdf, check=True
    )
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def difference(picture, reference):
    """(share of pixels that differ, mean difference in grey levels) of two pages."""
    diff = ImageChops.difference(picture, reference)
    histogram = diff.histogram()
    pixels = picture.width * picture.height
    differing = sum(histogram[DIFFERS + 1 :])
    mean = sum(level * count for level, count in enumerate(histogram)) / pixels
    return differing / pixels, mean


@pytest.fixture
def handout_pdf(db, monkeypatch):
    monkeypatch.setattr(Clinic, "today", lambda self: PRINTED_ON)
    plan, therapist = handout_plan()
    return render_plan_handout(plan, user=therapist).pdf


def test_the_handouts_pages_look_as_they_did(handout_pdf, tmp_path):
    pages = render_pages(handout_pdf, tmp_path)
    if os.environ.get("GLIDE_DRAW_HANDOUT_PAGES"):
        REFERENCES.mkdir(exist_ok=True)
        for old in REFERENCES.glob("page-*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            page.save(REFERENCES / f"page-{number}.png", optimize=True)
        pytest.skip(f"drew {len(pages)} reference pages in {REFERENCES}")

    references = [Image.open(path).convert("L") for path in sorted(REFERENCES.glob("page-*.png"))]
    assert len(pages) == len(references), "the handout has a different number of pages"
    for number, (page, reference) in enumerate(zip(pages, references, strict=True), start=1):
        assert page.size == reference.size, f"page {number} has another size"
        share, mean = difference(page, reference)
        assert share <= MOST_DIFFERING_SHARE and mean <= MOST_MEAN_DIFFERENCE, (
            f"page {number} looks different: {share:.3%} of its pixels differ, "
            f"by {mean:.2f} grey levels on average"
        )


def test_the_comparison_sees_half_a_page_moved_down_by_a_millimetre(handout_pdf, tmp_path):
    [first, *_] = render_pages(handout_pdf, tmp_path)
    millimetre, middle = round(DPI / 25.4), first.height // 2
    moved = first.copy()
    moved.paste(first.crop((0, middle, first.width, first.height - millimetre)), (0, middle + millimetre))

    share, mean = difference(moved, first)

    assert share > MOST_DIFFERING_SHARE or mean > MOST_MEAN_DIFFERENCE
