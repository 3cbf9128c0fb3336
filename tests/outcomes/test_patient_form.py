"""What the patient's page will show: an instrument's items in plain words, one
fieldset per question with the question as its legend, large answer targets, every
string through gettext."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from outcomes.forms import MeasureItemsForm
from tests.factories import instrument, load_wording
from tests.pages import Page

pytestmark = pytest.mark.django_db


def rendered(form):
    return render_to_string("outcomes/_measure_items.html", {"form": form})


def test_each_question_is_a_fieldset_with_its_legend():
    nprs = instrument("nprs")
    html = rendered(MeasureItemsForm(instrument=nprs, items=nprs.patient_items()))

    assert html.count("<fieldset") == html.count("<legend>") == 1
    assert "How strong has your pain been over the last 24 hours?" in html
    assert html.count('type="radio"') == 11
    assert not Page(html).broken_descriptions()


def test_the_psfs_asks_the_patient_to_name_each_activity():
    psfs = instrument("psfs")
    html = rendered(MeasureItemsForm(instrument=psfs, items=psfs.patient_items()))

    assert html.count("Which activity?") == 5
    assert "For example: climbing the stairs, sitting through a meal." in html


def test_the_patient_answers_become_the_services_answers():
    psfs = instrument("psfs")
    form = MeasureItemsForm(
        {"item-activity-1": "4", "activity-activity-1": " Walking the dog "},
        instrument=psfs,
        items=psfs.patient_items(),
    )

    assert form.is_valid(), form.errors
    assert form.answers() == [{"link_id": "activity-1", "value": 4, "activity": "Walking the dog"}]


def test_a_rated_activity_needs_its_name():
    psfs = instrument("psfs")
    form = MeasureItemsForm({"item-activity-1": "4"}, instrument=psfs, items=psfs.patient_items())

    assert not form.is_valid()
    assert form.errors["activity-activity-1"] == ["Name the activity you rated."]


def test_glides_own_items_go_through_gettext(monkeypatch):
    from outcomes import models

    seen = []
    monkeypatch.setattr(models, "gettext", lambda text: seen.append(text) or text.upper())
    nprs = instrument("nprs")

    form = MeasureItemsForm(instrument=nprs, items=nprs.patient_items())

    assert form.fields["item-pain"].label == "HOW STRONG HAS YOUR PAIN BEEN OVER THE LAST 24 HOURS?"
    assert "0 · no pain" in seen


def test_a_clinics_imported_wording_is_shown_as_it_is(clinic, clinic_admin):
    wording = load_wording(clinic, "odi", clinic_admin)
    odi = instrument("odi")

    with translation.override("es"):
        form = MeasureItemsForm(instrument=odi, items=odi.patient_items(wording))

    assert form.fields["item-odi-3"].label == "How much does your back trouble limit lifting?"
