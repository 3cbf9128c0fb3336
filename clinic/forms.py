from django import forms

from .models import Patient


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
