"""What patients read is in the gettext catalogue, and the catalogue is complete.

Patient-facing files are listed in ``PATIENT_FACING``: the handout now, the patient
link's pages and e-mails to patients as they land. For each of them:

* every message extracted by ``makemessages`` has a translation, not fuzzy, in every
  language patients can read (``settings.LANGUAGES``);
* their templates have no text outside ``{% translate %}`` and
  ``{% blocktranslate %}`` (text left out of the catalogue would print in English
  whatever the patient's language);
* the compiled ``.mo`` files hold exactly what the ``.po`` sources say.

``makemessages`` runs on a copy of the repository, so the test never writes to the
real catalogue.
"""

import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

from assessments.translations import translated_languages

REPOSITORY = Path(settings.BASE_DIR)

# Paths (files, or folders ending in "/") whose text a patient reads.
PATIENT_FACING = (
    "assessments/handouts.py",
    "assessments/schedule.py",
    "templates/handouts/",
    "portal/",
    "templates/portal/",
    "templates/emails/",
    # Outcome measures, as the patient answers them on their link's page: Glide's own
    # instruments' wording, the form, the page and the section listing what was sent.
    "outcomes/instruments.py",
    "outcomes/forms.py",
    "outcomes/patient_pages.py",
    "templates/outcomes/_measure_items.html",
    "templates/outcomes/patient_measure.html",
    "templates/outcomes/patient_requests.html",
)

# The clinic's own pages that live beside the patient's: they stay in English.
CLINIC_SIDE = (
    "templates/portal/_adherence.html",
    "templates/portal/_patient_panel.html",
    "templates/portal/_plan_panel.html",
    "templates/portal/alert_list.html",
)

NOT_SOURCES = (
    ".*",
    "__pycache__",
    "media",
    "staticfiles",
    "test-artifacts",
    "*.sqlite3*",
    "*.mo",
    "node_modules",
)


def is_patient_facing(path):
    if path in CLINIC_SIDE:
        return False
    return any(path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in PATIENT_FACING)


def catalogue(language):
    return REPOSITORY / "locale" / language / "LC_MESSAGES" / "django.po"


def key(entry):
    return (entry.msgctxt, entry.msgid)


def text(entry):
    return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)) or entry.msgstr


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """``{language: the catalogue as makemessages leaves it after extracting the
    repository's current messages into a copy of the committed one}``."""
    copy = tmp_path_factory.mktemp("repository") / "glide"
    shutil.copytree(REPOSITORY, copy, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        patch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
        call_command("makemessages", locale=translated_languages(), verbosity=0)
    return {
        language: polib.pofile(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        for language in translated_languages()
    }


@pytest.mark.parametrize("language", translated_languages())
def test_every_message_patients_read_is_translated(extracted, language):
    missing = [
        (entry.msgid, [path for path, _ in entry.occurrences])
        for entry in extracted[language]
        if not entry.obsolete
        and any(is_patient_facing(path) for path, _ in entry.occurrences)
        and not entry.translated()
    ]

    assert missing == [], f"Translate these in {catalogue(language).relative_to(REPOSITORY)}"


@pytest.mark.parametrize("language", translated_languages())
def test_the_committed_catalogue_holds_exactly_the_current_messages(extracted, language):
    committed = {key(entry) for entry in polib.pofile(catalogue(language)) if not entry.obsolete}
    current = {key(entry) for entry in extracted[language] if not entry.obsolete}

    assert committed == current, "Run makemessages and translate what changed (see the README)"


def test_the_check_sees_patient_facing_messages():
    extracted_paths = {
        path
        for entry in polib.pofile(catalogue("es"))
        for path, _ in entry.occurrences
        if is_patient_facing(path)
    }
    assert {"assessments/handouts.py", "templates/handouts/plan.html"} <= extracted_paths


@pytest.mark.parametrize("language", translated_languages())
def test_the_compiled_catalogue_is_current(language):
    source = {key(entry): text(entry) for entry in polib.pofile(catalogue(language)) if entry.translated()}
    compiled = {
        key(entry): text(entry)
        for entry in polib.mofile(catalogue(language).with_suffix(".mo"))
        if entry.msgid
    }

    assert compiled == source, "Run: manage.py compilemessages --ignore=.venv"


# --- Templates: no text outside the catalogue -----------------------------------------

# Attributes whose values a patient reads or hears.
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}


class TextCollector(HTMLParser):
    """The text (and read attribute values) of an HTML fragment, outside
    <style> and <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.raw = [], 0

    def handle_starttag(self, tag, attrs):
        self.raw += tag in ("style", "script")
        self.texts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self.raw -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.raw:
            self.texts.append(data)


def untranslated_template_text(source):
    """Words in a template that are neither inside a translation tag nor in a
    variable: text that would print in English whatever the language."""
    collector, in_block, in_comment = TextCollector(), False, False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            in_block = name in ("blocktranslate", "blocktrans", "plural") or (
                in_block and name not in ("endblocktranslate", "endblocktrans")
            )
            # A {% comment %} is for the template's readers, never printed.
            in_comment = name == "comment" or (in_comment and name != "endcomment")
        elif token.token_type == TokenType.TEXT and not in_block and not in_comment:
            collector.feed(token.contents)
    collector.close()
    return [text.strip() for text in collector.texts if any(char.isalpha() for char in text)]


def patient_facing_templates():
    return sorted(
        path.relative_to(REPOSITORY).as_posix()
        for path in (REPOSITORY / "templates").rglob("*")
        if path.is_file() and is_patient_facing(path.relative_to(REPOSITORY).as_posix())
    )


@pytest.mark.parametrize("template", patient_facing_templates())
def test_a_patient_facing_template_has_no_text_outside_the_catalogue(template):
    assert untranslated_template_text((REPOSITORY / template).read_text()) == []


def test_the_template_check_finds_text_left_out():
    source = (
        '{% load i18n %}<h1>{% translate "Hello" %}</h1><p>Stop now.</p>'
        '<img alt="A knee">{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}<style>p{}</style>'
        "{% comment %}Notes for the template's readers.{% endcomment %}"
    )
    assert untranslated_template_text(source) == ["Stop now.", "A knee"]
