from django.apps import AppConfig
from django.core.signals import got_request_exception


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "Interoperability: FHIR and exports"

    def ready(self):
        from .http import note_database_outage

        got_request_exception.connect(note_database_outage, dispatch_uid="interop.note_database_outage")
