import datetime

from django import forms
from django.utils import timezone

from assessments.models import Plan

from .jobs import active_plans_seen_on


class BatchPrintForm(forms.Form):
    """The handouts to print as one PDF: the active plans of the patients seen on a
    day, or the plans chosen. The page offers the active plans changed lately (a
    clinic may hold thousands); any active plan of the clinic may be chosen, up to
    ``MAX_PLANS`` at once."""

    MAX_PLANS = 100
    OFFERED_DAYS = 30

    day = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Prints the active plan of each patient seen that day.",
    )
    plans = forms.ModelMultipleChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Or choose plans",
        help_text=f"Active plans changed in the last {OFFERED_DAYS} days.",
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.fields["day"].initial = timezone.localdate()
        active = Plan.objects.filter(clinic=clinic, status=Plan.Status.ACTIVE)
        self.fields["plans"].queryset = active
        recent = active.filter(updated_at__gte=timezone.now() - datetime.timedelta(days=self.OFFERED_DAYS))
        self.fields["plans"].choices = [
            (plan.pk, f"{plan.patient.full_name}, from {plan.start_date}")
            for plan in recent.select_related("patient").order_by(
                "patient__family_name", "patient__given_name", "start_date"
            )
        ]

    def clean_plans(self):
        plans = self.cleaned_data["plans"]
        if len(plans) > self.MAX_PLANS:
            raise forms.ValidationError(f"Choose at most {self.MAX_PLANS} plans at once.")
        return plans

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("day") and not cleaned.get("plans"):
            raise forms.ValidationError("Choose a day or at least one plan.")
        day = None if cleaned.get("plans") else cleaned.get("day")
        if day and not active_plans_seen_on(self.clinic, day).exists():
            self.add_error("day", "No patient with an active plan was assessed on this day.")
        return cleaned

    def parameters(self):
        if self.cleaned_data.get("plans"):
            return {"plans": [str(plan.pk) for plan in self.cleaned_data["plans"]]}
        return {"day": self.cleaned_data["day"].isoformat()}


class ResearchExportForm(forms.Form):
    deidentify = forms.BooleanField(
        required=False,
        initial=True,
        label="De-identify (no names, contact details or real dates; ids replaced by pseudonyms)",
    )

    def parameters(self):
        return {"deidentify": self.cleaned_data["deidentify"]}
