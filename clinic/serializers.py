"""The people side over the API: clinics, patients, and the sign-in token."""

from django.conf import settings
from django.contrib.auth import authenticate
from rest_framework import exceptions, serializers

from .models import AuditEvent, Clinic, Membership, Patient, User


def person_summary(user_id, username, first_name, last_name, credentials):
    """What ``UserSummarySerializer`` shows of a user, from their columns; None
    without a user."""
    if user_id is None:
        return None
    name = f"{first_name} {last_name}".strip() or username
    return {
        "id": str(user_id),
        "username": username,
        "display_name": f"{name}, {credentials}" if credentials else name,
    }


class UserSummarySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name"]
        read_only_fields = fields


class ClinicSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, read_only=True, help_text="The caller's role in this clinic."
    )

    class Meta:
        model = Clinic
        fields = [
            "id",
            "name",
            "slug",
            "address",
            "phone",
            "email",
            "logo",
            "handout_paper_size",
            "time_zone",
            "exercise_reminders",
            "role",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "slug", "logo", "role", "version", "created_at", "updated_at"]

    def update(self, instance, validated_data):
        validated_data["version"] = instance.version + 1
        return super().update(instance, validated_data)


class PatientSerializer(serializers.ModelSerializer):
    clinic = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "clinic",
            "chart_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "phone",
            "email",
            "preferred_language",
            "archived_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "clinic", "archived_at", "version", "created_at", "updated_at"]

    def validate(self, attrs):
        clinic = self.instance.clinic if self.instance else self.context["clinic"]
        chart_number = attrs.get("chart_number")
        taken = Patient.objects.filter(clinic=clinic, chart_number=chart_number)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if chart_number is not None and taken.exists():
            raise serializers.ValidationError(
                {"chart_number": "Another patient of this clinic has this chart number."}, code="unique"
            )
        candidate = Patient(clinic=clinic, **{**self._current_values(), **attrs})
        candidate.clean()
        return attrs

    def _current_values(self):
        if self.instance is None:
            return {}
        return {field: getattr(self.instance, field) for field in ("date_of_birth",)}

    def update(self, instance, validated_data):
        validated_data["version"] = instance.version + 1
        return super().update(instance, validated_data)


class AccountLocked(exceptions.Throttled):
    """Too many failed sign-ins locked the account: even the right password waits,
    as on the sign-in page."""

    default_detail = "Too many failed sign-ins: this account is locked for a while."
    default_code = "locked_out"
    extra_detail_singular = extra_detail_plural = "Try again in {wait} seconds."


class AuthTokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"), username=attrs["username"], password=attrs["password"]
        )
        if user is None:
            if getattr(self.context.get("request"), "axes_locked_out", False):
                raise AccountLocked(wait=settings.AXES_COOLOFF_TIME.total_seconds())
            raise serializers.ValidationError(
                "Unable to sign in with these credentials.", code="authorization"
            )
        attrs["user"] = user
        return attrs


class AuthTokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class AuditEventSerializer(serializers.ModelSerializer):
    """One line of a patient's audit history, as a clinic admin reads it."""

    actor = serializers.CharField(source="actor_name", read_only=True)
    patient = serializers.UUIDField(source="patient_id", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "patient",
            "ip_address",
            "user_agent",
            "method",
            "path",
            "status_code",
            "detail",
        ]
        read_only_fields = fields
