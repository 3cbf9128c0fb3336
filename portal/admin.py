from django.contrib import admin

from clinic.admin import FixedQueriesInline

from .models import Alert, PatientLink, SessionItem, SessionLog


@admin.register(PatientLink)
class PatientLinkAdmin(admin.ModelAdmin):
    list_display = ("id", "plan", "clinic", "expires_at", "revoked_at", "end_reason")
    list_filter = ("end_reason",)
    list_select_related = ("plan__patient", "clinic")
    readonly_fields = ("salt", "secret_hash", "created_by", "revoked_by", "created_at", "updated_at")
    raw_id_fields = ("plan",)


class SessionItemInline(FixedQueriesInline, admin.TabularInline):
    """What the patient reported, shown as they reported it."""

    model = SessionItem
    extra = 0
    fields = ("exercise", "plan_item", "done")
    readonly_fields = ("exercise", "plan_item", "done")
    row_related = ("exercise", "plan_item__exercise", "plan_item__plan__patient")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SessionLog)
class SessionLogAdmin(admin.ModelAdmin):
    list_display = ("date", "plan", "pain", "an_hour_later", "clinic")
    list_select_related = ("plan__patient", "clinic")
    raw_id_fields = ("plan", "link")
    inlines = [SessionItemInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("kind", "plan", "raised_at", "acknowledged_at", "clinic")
    list_filter = ("kind",)
    list_select_related = ("plan__patient", "clinic")
    raw_id_fields = ("plan", "session_log")
