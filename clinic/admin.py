from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import FieldDoesNotExist
from simple_history.admin import SimpleHistoryAdmin

from .models import AuditEvent, Clinic, Membership, Patient, User


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin. Its history page names every version with the
    record's ``__str__``; the foreign keys that reads come joined with the versions
    (simple-history selects them) and are handed to each version here, rather than
    read again in a query per version."""

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        for record in historical_records:
            version = record.history_object
            for field in version._meta.concrete_fields:
                if field.is_relation and _is_cached(record, field.name):
                    setattr(version, field.name, getattr(record, field.name))
            record.history_object = version


def _is_cached(record, name):
    try:
        return record._meta.get_field(name).is_cached(record)
    except FieldDoesNotExist:
        return False


class FixedQueriesInline:
    """An inline that costs the same queries for one row or many: its rows come with
    the records their labels and read-only fields read (``row_related``), and the
    selects of ``shared_choices`` read their choices once for all the rows rather
    than once per row."""

    row_related = ()
    shared_choices = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in self.shared_choices:
            formfield.choices = list(formfield.choices)
        return formfield


class MembershipInline(FixedQueriesInline, admin.TabularInline):
    model = Membership
    extra = 0
    row_related = ("user", "clinic")
    shared_choices = ("user", "clinic")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Clinical", {"fields": ("credentials", "licence_number")}))
    list_display = ("username", "first_name", "last_name", "credentials", "email", "is_staff", "is_active")
    inlines = [MembershipInline]


@admin.register(Clinic)
class ClinicAdmin(HistoryAdmin):
    list_display = ("name", "slug", "phone", "handout_paper_size")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Patient)
class PatientAdmin(HistoryAdmin):
    list_display = ("chart_number", "family_name", "given_name", "date_of_birth", "clinic", "archived_at")
    list_filter = ("clinic", ("archived_at", admin.EmptyFieldListFilter), "sex")
    search_fields = ("chart_number", "family_name", "given_name", "email")
    readonly_fields = ("created_at", "updated_at", "version", "archived_at")
    actions = ["archive_selected"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Archive the selected patients")
    def archive_selected(self, request, queryset):
        for patient in queryset:
            patient.archive()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "clinic", "ip_address")
    list_select_related = ("clinic",)
    list_filter = ("action", "clinic", "object_type")
    search_fields = ("actor_username", "object_id", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
