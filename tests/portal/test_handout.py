"""The handout carries the plan's open link as a QR code and a short address on its
first page; the code, read back from the printed PDF's image, is the link."""

import io
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from assessments import handouts

pytestmark = pytest.mark.django_db


def first_page_image(pdf, tmp_path):
    """The PDF's first page as pdftoppm draws it, at 200 dpi."""
    (tmp_path / "handout.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", "handout.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    return Image.open(tmp_path / "page.png")


def print_handout(plan, therapist):
    return handouts.render_plan_handout(plan, user=therapist).pdf


def test_the_qr_code_on_the_first_page_decodes_to_the_link(link, therapist, tmp_path, settings):
    settings.GLIDE_SITE_URL = "https://glide.example.org"

    image = first_page_image(print_handout(link.plan, therapist), tmp_path)

    codes = [
        code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert codes == [f"https://glide.example.org/p/{link.secret}/"]


def test_the_short_address_is_printed_beside_the_code(link, therapist, settings):
    settings.GLIDE_SITE_URL = "https://glide.example.org"

    text = PdfReader(io.BytesIO(print_handout(link.plan, therapist))).pages[0].extract_text()

    assert link.secret in text.replace("\n", "")


def test_every_print_carries_the_same_code(link, therapist):
    first, second = (handouts.render_html(link.plan, "letter") for _ in range(2))

    assert link.secret in first and first == second


def test_a_plan_without_an_open_link_prints_no_code(link, therapist):
    link.revoke(by=therapist)

    assert "portal-qr" not in handouts.render_html(link.plan, "letter")


def test_the_handout_hook_may_be_switched_off(link, settings):
    settings.GLIDE_HANDOUT_EXTRAS = ""

    assert "portal-qr" not in handouts.render_html(link.plan, "letter")


def test_the_link_box_is_in_the_language_the_handout_prints_in(link):
    link.plan.patient.preferred_language = "es"
    link.plan.patient.save()

    spanish = handouts.render_html(link.plan, "letter", language=handouts.handout_language(link.plan.patient))
    english = handouts.render_html(link.plan, "letter", language="en")  # a print that asked for English

    assert "Sus ejercicios en su teléfono" in spanish
    assert "Your exercises on your phone" in english and "Sus ejercicios en su teléfono" not in english
