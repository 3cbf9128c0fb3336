"""
Outcome measures over the API: the instruments (with the caller's clinic's
wording where it is licensed), a response recorded for a patient, and a patient's
series per instrument. ``outcomes.services.record_response`` checks, scores and
records; these serializers check the shape only.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment

from .models import Instrument, MeasureResponse


class OptionSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField(help_text="Empty until the clinic's wording is loaded.")


class ItemSerializer(serializers.Serializer):
    link_id = serializers.CharField()
    text = serializers.CharField(help_text="Empty until the clinic's wording is loaded.")
    names_activity = serializers.BooleanField(
        default=False, help_text="The answer also names the activity rated (PSFS)."
    )
    options = OptionSerializer(many=True)


class ScoreRangeSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=6, decimal_places=1)
    max = serializers.DecimalField(max_digits=6, decimal_places=1)
    higher_is_better = serializers.BooleanField()
    has_percent = serializers.BooleanField(help_text="Responses also carry score_percent.")
    mcid = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    mcid_applies_to = serializers.ChoiceField(choices=["score", "score_percent", ""])
    mcid_unit = serializers.CharField()
    mcid_source = serializers.CharField()


class InstrumentSerializer(serializers.ModelSerializer):
    """``context["wordings"]``: the caller's clinic's wordings by instrument id."""

    items = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    wording_loaded = serializers.SerializerMethodField()
    wording_from_clinic = serializers.BooleanField(read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "code",
            "name",
            "short_name",
            "instructions",
            "items",
            "score",
            "loinc",
            "licence",
            "source",
            "wording_from_clinic",
            "wording_loaded",
        ]

    def _wording(self, instrument):
        return self.context.get("wordings", {}).get(instrument.pk)

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, instrument):
        items = instrument.worded_items(self._wording(instrument)) or instrument.items
        return [
            {
                "link_id": item["link_id"],
                "text": item["text"],
                "names_activity": bool(item.get("names_activity")),
                "options": [
                    {"value": option["value"], "label": option["label"]} for option in item["options"]
                ],
            }
            for item in items
        ]

    @extend_schema_field(ScoreRangeSerializer)
    def get_score(self, instrument):
        return ScoreRangeSerializer(
            {
                "min": instrument.score_min,
                "max": instrument.score_max,
                "higher_is_better": instrument.higher_is_better,
                "has_percent": instrument.has_percent,
                "mcid": instrument.mcid,
                "mcid_applies_to": instrument.mcid_applies_to,
                "mcid_unit": instrument.mcid_unit,
                "mcid_source": instrument.mcid_source,
            }
        ).data

    def get_wording_loaded(self, instrument) -> bool:
        return not instrument.wording_from_clinic or self._wording(instrument) is not None


class AnswerSerializer(serializers.Serializer):
    link_id = serializers.CharField(max_length=60)
    value = serializers.IntegerField(min_value=-1000, max_value=1000)
    activity = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="The activity rated (PSFS)."
    )


class MeasureResponseSerializer(serializers.ModelSerializer):
    """A response as recorded: its answers, score and interpretation."""

    instrument = serializers.SlugRelatedField(slug_field="code", queryset=Instrument.objects.all())
    answers = serializers.ListField(child=AnswerSerializer(), allow_empty=False, max_length=50)
    assessment = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.none(), required=False, allow_null=True, help_text="The visit, if any."
    )
    replaces = serializers.PrimaryKeyRelatedField(
        queryset=MeasureResponse.objects.none(),
        required=False,
        allow_null=True,
        help_text="The response this one corrects; give correction_reason too.",
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    replaced_by = serializers.SerializerMethodField()

    class Meta:
        model = MeasureResponse
        fields = [
            "id",
            "instrument",
            "taken_at",
            "answers",
            "score",
            "score_percent",
            "interpretation",
            "source",
            "assessment",
            "recorded_by",
            "signed_at",
            "replaces",
            "correction_reason",
            "replaced_by",
        ]
        read_only_fields = ["score", "score_percent", "interpretation", "source", "signed_at"]
        extra_kwargs = {"correction_reason": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        patient = self.context.get("patient")
        if patient is not None:
            self.fields["assessment"].queryset = Assessment.objects.filter(patient=patient)
            self.fields["replaces"].queryset = MeasureResponse.objects.filter(patient=patient)

    def get_replaced_by(self, response) -> str | None:
        replacement = getattr(response, "replaced_by", None) if hasattr(response, "pk") else None
        return str(replacement.pk) if replacement else None


class SeriesPointSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    taken_at = serializers.DateTimeField()
    score = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    score_percent = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    interpretation = serializers.CharField()
    source = serializers.CharField()
    change_from_first = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    passes_mcid = serializers.BooleanField()


class ActivityPointSerializer(serializers.Serializer):
    response = serializers.UUIDField()
    taken_at = serializers.DateTimeField()
    value = serializers.IntegerField()


class ActivitySerializer(serializers.Serializer):
    name = serializers.CharField()
    points = ActivityPointSerializer(many=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=1)
    passes_mcid = serializers.BooleanField()


class SeriesSerializer(serializers.Serializer):
    instrument = serializers.CharField(source="instrument.code", help_text="The instrument's code.")
    points = SeriesPointSerializer(many=True)
    change = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, help_text="Latest minus first score."
    )
    clinically_important = serializers.BooleanField(help_text="Whether the change passes the MCID.")
    summary = serializers.CharField(help_text="The change so far, in words.")
    activities = ActivitySerializer(many=True, help_text="PSFS: each activity under its own name.")


class MeasureSeriesSerializer(serializers.Serializer):
    series = SeriesSerializer(many=True)


class PatientQuestionsSerializer(serializers.Serializer):
    """A measure the therapist sent, as the patient's app shows it: in the patient's
    language (Glide's own instruments) or the clinic's licensed wording."""

    id = serializers.UUIDField(help_text="The request's id: answer at this id.")
    instrument = serializers.CharField(help_text="The instrument's code.")
    title = serializers.CharField()
    instructions = serializers.CharField(allow_blank=True)
    sent_at = serializers.DateTimeField()
    items = ItemSerializer(many=True)


class PatientAnswersSerializer(serializers.Serializer):
    answers = serializers.ListField(child=AnswerSerializer(), allow_empty=False, max_length=50)


class PatientAnswersReceivedSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The response's id.")
    instrument = serializers.CharField()
    taken_at = serializers.DateTimeField()
