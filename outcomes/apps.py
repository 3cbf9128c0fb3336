from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self):
        from portal import sections

        from .patient_pages import requested_measures

        sections.register(requested_measures)
