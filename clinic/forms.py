import datetime
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from .models import AuditEvent, Patient


class PatientForm(forms.ModelForm):
    """A patient's demographics. The clinic is the one the user works in, set by the
    page, so the chart number's uniqueness is checked here against that clinic."""

    class Meta:
        model = Patient
        fields = [
            "chart_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "phone",
            "email",
            "preferred_language",
        ]
        labels = {"given_name": "First name", "family_name": "Last name"}
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic

    def clean_chart_number(self):
        chart_number = self.cleaned_data["chart_number"].strip()
        taken = Patient.objects.filter(clinic=self.instance.clinic, chart_number__iexact=chart_number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Another patient of this clinic has this chart number.")
        return chart_number


class PatientSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or chart number", required=False)
    archived = forms.BooleanField(label="Show archived patients", required=False)


# Bounds keep the day after ``until`` and both ends in UTC within Python's dates.
DATE_BOUNDS = [MinValueValidator(datetime.date(1900, 1, 1)), MaxValueValidator(datetime.date(2999, 12, 31))]
DATE_INPUT = forms.DateInput(
    attrs={"type": "date", "min": "1900-01-01", "max": "2999-12-31"}, format="%Y-%m-%d"
)


# Sign-ins belong to no patient, so they never appear in a patient's history.
SIGN_IN_ACTIONS = {
    AuditEvent.Action.LOGIN,
    AuditEvent.Action.LOGIN_FAILED,
    AuditEvent.Action.LOCKOUT,
    AuditEvent.Action.LOGOUT,
}


class AuditFilterForm(forms.Form):
    """Narrows a patient's audit history to one kind of action and a range of days,
    counted in local time (``TIME_ZONE``), both ends included."""

    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[
            ("", "All actions"),
            *((value, label) for value, label in AuditEvent.Action.choices if value not in SIGN_IN_ACTIONS),
        ],
    )
    since = forms.DateField(label="From", required=False, widget=DATE_INPUT, validators=DATE_BOUNDS)
    until = forms.DateField(label="To", required=False, widget=DATE_INPUT, validators=DATE_BOUNDS)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the range is before its start.")
        return cleaned

    def query_string(self):
        """The filter's filled-in fields, for the links that keep it (pages, the CSV)."""
        return urlencode({name: self.data[name] for name in self.fields if self.data.get(name)})

    def filter(self, events):
        """``events`` narrowed to the valid form's choices."""
        action, since, until = (self.cleaned_data.get(name) for name in ("action", "since", "until"))
        if action:
            events = events.filter(action=action)
        if since:
            events = events.filter(at__gte=start_of_day(since))
        if until:
            events = events.filter(at__lt=start_of_day(until + datetime.timedelta(days=1)))
        return events


def start_of_day(day):
    """Midnight of ``day`` in the current time zone, as an aware moment: a range on
    the column itself, so the ``(patient, at)`` index serves it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
