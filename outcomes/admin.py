"""The admin site, for Glide's staff: the shipped instruments (data, changed by
migrations) and the responses (signed: read only)."""

from django.contrib import admin

from .models import Instrument, MeasureResponse


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "wording", "loinc", "mcid"]
    readonly_fields = [field.name for field in Instrument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeasureResponse)
class MeasureResponseAdmin(admin.ModelAdmin):
    list_display = ["taken_at", "instrument", "patient", "score", "score_percent", "source", "clinic"]
    list_select_related = ["instrument", "patient", "clinic"]
    list_filter = ["instrument", "source"]
    readonly_fields = [field.name for field in MeasureResponse._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
