"""
Forms of outcome measures: one instrument's items as radio choices (large targets,
a fieldset with its legend per item), used by the clinician's page and, through
``templates/outcomes/_measure_items.html``, by the patient's page; the clinic's
schedule of measures; a Questionnaire file of licensed wording.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import MeasureSchedule


class MeasureItemsForm(forms.Form):
    """An instrument's items, ``items`` already in the reader's words
    (``Instrument.patient_items``). Every answer may be left out: the instrument's
    own rule says what missing answers do."""

    def __init__(self, *args, instrument, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = items
        self.item_fields = []
        for number, item in enumerate(items, start=1):
            name = f"item-{item['link_id']}"
            choices = [(str(option["value"]), option["label"]) for option in item["options"]]
            self.fields[name] = forms.TypedChoiceField(
                label=item["text"],
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "measure-choice"}),
            )
            activity_name = None
            if item.get("names_activity"):
                activity_name = f"activity-{item['link_id']}"
                self.fields[activity_name] = forms.CharField(
                    label=_("Activity %(number)s") % {"number": number},
                    max_length=120,
                    required=False,
                    help_text=_("For example: climbing the stairs, sitting through a meal."),
                )
            self.item_fields.append({"number": number, "choice": name, "activity": activity_name})

    def rows(self):
        """Each item's bound fields, for the template."""
        return [
            {
                "number": entry["number"],
                "choice": self[entry["choice"]],
                "activity": self[entry["activity"]] if entry["activity"] else None,
            }
            for entry in self.item_fields
        ]

    def clean(self):
        cleaned = super().clean()
        for entry in self.item_fields:
            activity = entry["activity"]
            value = cleaned.get(entry["choice"])
            if activity and value not in (None, "") and not cleaned.get(activity, "").strip():
                self.add_error(activity, gettext("Name the activity you rated."))
            if activity and value in (None, "") and cleaned.get(activity, "").strip():
                self.add_error(entry["choice"], gettext("Rate the activity you named."))
        return cleaned

    def answers(self):
        answers = []
        for item, entry in zip(self.items, self.item_fields, strict=True):
            value = self.cleaned_data.get(entry["choice"])
            if value in (None, ""):
                continue
            answer = {"link_id": item["link_id"], "value": value}
            if entry["activity"]:
                answer["activity"] = self.cleaned_data[entry["activity"]].strip()
            answers.append(answer)
        return answers


class ClinicianMeasureForm(MeasureItemsForm):
    """The clinician's form adds when it was taken and, for a correction, why."""

    def __init__(self, *args, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_at"] = forms.DateTimeField(
            label="Taken at",
            initial=lambda: timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        )
        if correcting:
            self.fields["correction_reason"] = forms.CharField(
                label="Why it is corrected", max_length=300, help_text="Kept with both responses."
            )


class ScheduleForm(forms.ModelForm):
    """One instrument's row of the clinic's schedule."""

    wanted = forms.BooleanField(label="Use", required=False)

    class Meta:
        model = MeasureSchedule
        fields = ["at_first_visit", "every_weeks", "at_discharge"]
        labels = {
            "at_first_visit": "At the first visit",
            "every_weeks": "Every N weeks",
            "at_discharge": "At discharge",
        }
        widgets = {"every_weeks": forms.NumberInput(attrs={"min": 1, "max": 52, "inputmode": "numeric"})}

    def clean_every_weeks(self):
        weeks = self.cleaned_data.get("every_weeks")
        if weeks is not None and not 1 <= weeks <= 52:
            raise forms.ValidationError("Between 1 and 52 weeks.")
        return weeks


class WordingUploadForm(forms.Form):
    questionnaire = forms.FileField(
        label="FHIR Questionnaire (JSON)",
        help_text="Its items' linkIds must be the ones listed for the instrument.",
    )

    MAX_BYTES = 512 * 1024

    def clean_questionnaire(self):
        upload = self.cleaned_data["questionnaire"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 512 KB.")
        return upload
