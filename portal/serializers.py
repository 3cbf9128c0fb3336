"""The shapes of the patient's link over the API: the clinic's side (links,
adherence) and the patient's (their plan, a logged session)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments import handouts, schedule

from .models import Alert, PatientLink, SessionItem, SessionLog

# --- The clinic's side ---------------------------------------------------------------


class PatientLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The address the patient opens (also the handout's QR code)."
    )
    expires_at = serializers.DateTimeField(
        required=False,
        help_text="When the link ends; by default the plan's review date plus 14 days, "
        "at the end of the clinic's day.",
    )

    class Meta:
        model = PatientLink
        fields = ["id", "url", "expires_at", "revoked_at", "created_at"]
        read_only_fields = ["id", "url", "revoked_at", "created_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link):
        return link.url(self.context.get("request"))


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="The Monday the week starts on, in the clinic's days.")
    prescribed = serializers.IntegerField(help_text="Sessions the plan's dose asks for in the week (so far).")
    logged = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="Logged over prescribed, at most 1.")


class SessionItemSerializer(serializers.Serializer):
    exercise = serializers.UUIDField(
        allow_null=True,
        help_text="The plan item's id (GET /api/v1/portal/plan/ lists them); null in a session logged "
        "before the plan's exercises were changed.",
    )
    done = serializers.ChoiceField(choices=SessionItem.Done.choices)


class SessionLogSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = SessionLog
        fields = ["id", "date", "items", "pain", "an_hour_later", "note"]

    @extend_schema_field(SessionItemSerializer(many=True))
    def get_items(self, log):
        return [{"exercise": item.plan_item_id, "done": item.done} for item in log.items.all()]


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "kind", "raised_at", "acknowledged_at"]


class AdherenceSerializer(serializers.Serializer):
    weeks = WeekSerializer(many=True)
    sessions = SessionLogSerializer(many=True)
    alerts = AlertSerializer(many=True)


# --- The patient's side --------------------------------------------------------------


class SessionSerializer(serializers.Serializer):
    """A session the patient logs: one entry per exercise of the plan."""

    date = serializers.DateField(help_text="The day of the session, in the clinic's days; not in the future.")
    items = SessionItemSerializer(many=True, help_text="One entry per exercise of the plan.")
    pain = serializers.IntegerField(min_value=0, max_value=10, help_text="Pain during the session, 0 to 10.")
    an_hour_later = serializers.ChoiceField(choices=SessionLog.HourLater.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_items(self, items):
        # Here rather than ``allow_empty=False``, so that the error names "items".
        if not items:
            raise serializers.ValidationError(
                "Say for at least one exercise whether you did it.", code="empty"
            )
        return items


class MovementSerializer(serializers.Serializer):
    title = serializers.CharField()
    steps = serializers.ListField(child=serializers.CharField())
    illustration = serializers.CharField(allow_null=True, help_text="The drawing's address.")
    illustration_alt = serializers.CharField()


class PortalItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text='Name it as "exercise" in a logged session.')
    name = serializers.CharField()
    purpose = serializers.CharField()
    what_to_feel = serializers.CharField()
    dose = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    breathing_cue = serializers.CharField()
    imagery_cue = serializers.CharField()
    cues = serializers.CharField(help_text="The therapist's own cues.")
    precautions = serializers.CharField()
    movements = MovementSerializer(many=True)


class PortalPlanSerializer(serializers.Serializer):
    """What the patient sees: their first name, the plan's exercises and today's
    logged sessions. No chart number, date of birth, notes or findings."""

    given_name = serializers.CharField()
    clinic = serializers.CharField()
    clinic_phone = serializers.CharField()
    start_date = serializers.DateField()
    review_date = serializers.DateField(allow_null=True)
    goals = serializers.CharField()
    today = serializers.DateField(help_text="Today in the clinic's days.")
    next_exercise_day = serializers.DateField(
        allow_null=True,
        help_text="When no exercise of the plan is for today (its days are named and today is not "
        "one of them), the next day one is; null on an exercise day.",
    )
    items = PortalItemSerializer(many=True)
    sessions = SessionLogSerializer(many=True, help_text="The sessions logged so far.")


def portal_plan_data(link, plan_items, logs, static_url):
    """The patient's view of the plan, as plain data for the serializer."""
    plan = link.plan
    today = link.clinic.today()
    return {
        "given_name": plan.patient.given_name,
        "clinic": plan.clinic.name,
        "clinic_phone": plan.clinic.phone,
        "start_date": plan.start_date,
        "review_date": plan.review_date,
        "goals": plan.goals,
        "today": today,
        "next_exercise_day": schedule.next_exercise_day(plan_items, today),
        "items": [
            {
                "id": item.pk,
                "name": item.exercise.name,
                "purpose": item.exercise.purpose,
                "what_to_feel": item.exercise.what_to_feel,
                "dose": [list(line) for line in handouts.dose_lines(item)],
                "breathing_cue": item.exercise.breathing_cue,
                "imagery_cue": item.exercise.imagery_cue,
                "cues": item.cues,
                "precautions": item.exercise.precautions,
                "movements": [
                    {
                        "title": movement.title,
                        "steps": list(movement.steps or []),
                        "illustration": static_url(movement.illustration),
                        "illustration_alt": movement.illustration_alt or movement.title,
                    }
                    for movement in item.exercise.movements.all()
                ],
            }
            for item in plan_items
        ],
        "sessions": logs,
    }
