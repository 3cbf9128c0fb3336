from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinics and people"

    def ready(self):
        from . import signals

        signals.connect()


class GlideAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Glide's site: for Glide's own operators (superusers) only.
    Named in INSTALLED_APPS in place of ``django.contrib.admin``."""

    default = False
    default_site = "clinic.admin_site.GlideAdminSite"
