"""Template tags of the printed handout."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def in_language(context, text, code):
    """``text`` marked as written in ``code`` for screen readers, when that is not the
    handout's own language; else ``text`` alone, which the page's language covers (an
    element less for each part of each exercise, on every page it prints on)."""
    if not code or code == context["language"]:
        return text
    return format_html('<span lang="{}">{}</span>', code, text)
