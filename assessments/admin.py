from django.contrib import admin

from clinic.admin import FixedQueriesInline, HistoryAdmin

from .models import (
    Addendum,
    Assessment,
    Exercise,
    ExerciseMovement,
    HandoutPrint,
    NeuroTest,
    Plan,
    PlanItem,
    StepFinding,
    TestResult,
    TestStep,
)


class TestStepInline(FixedQueriesInline, admin.TabularInline):
    model = TestStep
    extra = 0
    row_related = ("test",)
    fields = ("order", "code", "name", "kind", "differentiates")


@admin.register(NeuroTest)
class NeuroTestAdmin(HistoryAdmin):
    list_display = ("code", "name", "nerve_bias", "region", "measured_joint", "clinic", "is_active")
    list_select_related = ("clinic",)
    list_filter = ("region", "is_active", ("clinic", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "nerve_bias")
    inlines = [TestStepInline]


class SignedReadOnlyMixin:
    """Signed notes are shown, never edited, in the admin too."""

    def _signed(self, obj):
        return obj is not None and getattr(obj, "assessment", obj).is_signed

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._signed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._signed(obj)


class TestResultInline(SignedReadOnlyMixin, FixedQueriesInline, admin.StackedInline):
    model = TestResult
    extra = 0
    row_related = ("test",)
    shared_choices = ("test",)
    fields = (
        ("test", "side"),
        ("range_at_onset_deg", "range_at_max_deg", "differentiation"),
        ("interpretation", "interpretation_override", "override_reason"),
        "notes",
    )
    readonly_fields = ("interpretation",)
    show_change_link = True


class AddendumInline(FixedQueriesInline, admin.TabularInline):
    model = Addendum
    extra = 0
    row_related = ("author", "assessment__patient")
    fields = ("created_at", "author", "text")
    readonly_fields = ("created_at", "author", "text")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(SignedReadOnlyMixin, HistoryAdmin):
    list_display = ("performed_at", "patient", "therapist", "status", "clinic", "version")
    list_filter = ("status", "clinic", "performed_at")
    search_fields = ("patient__family_name", "patient__given_name", "patient__chart_number", "complaint")
    date_hierarchy = "performed_at"
    readonly_fields = ("status", "signed_by", "signed_at", "version", "created_at", "updated_at")
    raw_id_fields = ("patient", "therapist")
    inlines = [TestResultInline, AddendumInline]


class StepFindingInline(SignedReadOnlyMixin, FixedQueriesInline, admin.TabularInline):
    model = StepFinding
    extra = 0
    fields = ("step", "symptoms_reproduced", "symptom_kinds", "location", "intensity")
    row_related = ("step__test",)
    shared_choices = ("step",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "step":
            # Each step's label names its test.
            kwargs["queryset"] = TestStep.objects.select_related("test")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TestResult)
class TestResultAdmin(SignedReadOnlyMixin, HistoryAdmin):
    list_display = ("assessment", "test", "side", "range_at_onset_deg", "range_at_max_deg", "interpretation")
    list_filter = ("test", "side", "interpretation")
    raw_id_fields = ("assessment",)
    readonly_fields = ("interpretation",)
    inlines = [StepFindingInline]


class ExerciseMovementInline(FixedQueriesInline, admin.StackedInline):
    model = ExerciseMovement
    extra = 0
    row_related = ("exercise",)
    fields = (("order", "slug", "title"), "steps", ("illustration", "illustration_alt"))


@admin.register(Exercise)
class ExerciseAdmin(HistoryAdmin):
    list_display = ("name", "slug", "kind", "nerve", "region", "clinic", "is_active")
    list_select_related = ("clinic",)
    list_filter = ("kind", "nerve", "region", "is_active", ("clinic", admin.EmptyFieldListFilter))
    search_fields = ("name", "slug", "nerve", "purpose")
    inlines = [ExerciseMovementInline]


class PlanItemInline(FixedQueriesInline, admin.TabularInline):
    model = PlanItem
    extra = 0
    row_related = ("exercise", "plan__patient")
    shared_choices = ("exercise",)
    fields = ("order", "exercise", *PlanItem.DOSE_FIELDS)


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ("patient", "therapist", "start_date", "review_date", "status", "clinic")
    list_filter = ("status", "clinic")
    search_fields = ("patient__family_name", "patient__given_name", "patient__chart_number", "goals")
    raw_id_fields = ("patient", "therapist", "assessment")
    inlines = [PlanItemInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HandoutPrint)
class HandoutPrintAdmin(admin.ModelAdmin):
    list_display = ("created_at", "plan", "printed_by", "paper_size", "page_count", "sha256")
    list_filter = ("clinic", "paper_size")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
