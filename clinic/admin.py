from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import AuditEvent, Clinic, Membership, Patient, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["clinic"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Clinical", {"fields": ("credentials", "licence_number")}))
    list_display = ("username", "first_name", "last_name", "credentials", "email", "is_staff", "is_active")
    inlines = [MembershipInline]


@admin.register(Clinic)
class ClinicAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "phone", "handout_paper_size")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
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
    list_filter = ("action", "clinic", "object_type")
    search_fields = ("actor_username", "object_id", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
