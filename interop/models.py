from django.db import models

from clinic.models import Clinic, Patient, TimeStampedModel


class PatientIdentifierQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(patient__in=Patient.objects.for_user(user))


class PatientIdentifier(TimeStampedModel):
    """An identifier another system gave a patient, kept as the sender wrote it (the
    FHIR ``Identifier.system`` and ``value``), so that the sender finds the patient
    again by its own identifier and every export names it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="external_identifiers")
    system = models.CharField(max_length=255, help_text="The sender's namespace, a URI.")
    value = models.CharField(max_length=255)

    objects = PatientIdentifierQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "system", "value"], name="patientidentifier_unique"),
        ]
        indexes = [models.Index(fields=["clinic", "system", "value"], name="patientidentifier_lookup")]

    def __str__(self):
        return f"{self.system}|{self.value}"
