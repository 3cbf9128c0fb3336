"""
The handout's first-page block for the patient's link: a QR code and the short
address, named by ``GLIDE_HANDOUT_EXTRAS`` so that the handout does not import this
app. The link's secret is derived, not stored, so every print of a plan carries the
same code for as long as the link is open.
"""

import segno
from django.template.loader import render_to_string

from .models import PatientLink


def qr_png_data_uri(text):
    """A PNG ``data:`` URI of ``text`` as a QR code: the one kind of inline image
    the handout's locked-down fetcher accepts."""
    return segno.make(text, error="m", micro=False).png_data_uri(scale=6, border=4)


def link_block(plan, request=None):
    """The QR code of the plan's newest open link, or "" when it has none. It is
    rendered in the language the handout prints in (the patient's, or the one the
    print asked for), so it reads like the page around it."""
    link = PatientLink.objects.open().filter(plan=plan).select_related("plan").first()
    if link is None or not link.is_open:
        return ""
    url = link.url(request)
    return render_to_string("portal/handout_link.html", {"url": url, "qr": qr_png_data_uri(url)})
