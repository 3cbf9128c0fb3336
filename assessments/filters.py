"""Query-string filters for the clinical API lists (django-filter)."""

import django_filters

from clinic.datetimes import IsoDateTimeFromToRangeFilter

from .models import Assessment, Exercise, NeuroTest, Plan


class AssessmentFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient_id")
    performed_at = IsoDateTimeFromToRangeFilter(
        help_text="performed_at_after / performed_at_before (ISO 8601)."
    )
    test = django_filters.CharFilter(
        method="filter_test", help_text='Assessments that include this test code, e.g. "SLR".'
    )

    class Meta:
        model = Assessment
        fields = ["patient", "status", "performed_at", "test"]

    def filter_test(self, queryset, name, value):
        return queryset.filter(pk__in=Assessment.objects.filter(results__test__code=value).values("pk"))


class PlanFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient_id")
    assessment = django_filters.UUIDFilter(field_name="assessment_id")

    class Meta:
        model = Plan
        fields = ["patient", "assessment", "status"]


class CatalogueFilter(django_filters.FilterSet):
    standard = django_filters.BooleanFilter(
        field_name="clinic",
        lookup_expr="isnull",
        help_text="Only the standard catalogue (true) or the clinic's own.",
    )


class NeuroTestFilter(CatalogueFilter):
    class Meta:
        model = NeuroTest
        fields = ["region", "is_active", "standard"]


class ExerciseFilter(CatalogueFilter):
    class Meta:
        model = Exercise
        fields = ["kind", "nerve", "region", "is_active", "standard"]
