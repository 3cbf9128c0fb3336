from django import forms
from django.utils import timezone

from assessments.models import Plan


def plan_label(plan):
    return f"{plan.patient.full_name}, from {plan.start_date}"


class BatchPrintForm(forms.Form):
    """The handouts to print as one PDF: the active plans of the patients seen on a
    day, or the plans chosen."""

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
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        self.fields["plans"].queryset = (
            Plan.objects.filter(clinic=clinic, status=Plan.Status.ACTIVE)
            .select_related("patient")
            .order_by("patient__family_name", "patient__given_name")
        )
        self.fields["plans"].label_from_instance = lambda plan: (
            f"{plan.patient.full_name}, from {plan.start_date}"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("day") and not cleaned.get("plans"):
            raise forms.ValidationError("Choose a day or at least one plan.")
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
