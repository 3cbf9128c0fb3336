"""factory-boy factories for Glide's records. Catalogue entries come from the
standard catalogue that the migrations load: ``standard_test("SLR")``."""

import datetime
import json
from pathlib import Path

import factory
from django.utils import timezone

from assessments.models import (
    Assessment,
    Exercise,
    ExerciseMovement,
    NeuroTest,
    Plan,
    PlanItem,
    StepFinding,
    TestResult,
    TestStep,
)
from clinic.models import Clinic, Membership, Patient, User
from outcomes import services as outcome_services
from outcomes.models import Instrument, InstrumentWording
from portal.models import Alert, PatientLink, SessionItem, SessionLog

PASSWORD = "correct-horse-battery-staple"


def standard_test(code):
    return NeuroTest.objects.standard().get(code=code)


def standard_exercise(slug):
    return Exercise.objects.standard().get(slug=slug)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Riverside Physio {n}")
    slug = factory.Sequence(lambda n: f"riverside-{n}")
    phone = "+1 555 0100"
    address = "12 Harbour Road, Springfield"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"therapist{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Rivera{n}")
    credentials = "PT, DPT"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Membership.Role.THERAPIST


def member(clinic, role=Membership.Role.THERAPIST, **user_fields):
    """A user who belongs to ``clinic`` with ``role``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, clinic=clinic, role=role)
    return user


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    # A prefix no test writes by hand ("A-1001" is Ada's), so a generated chart
    # number never meets a chosen one in the same clinic.
    chart_number = factory.Sequence(lambda n: f"F-{n:05d}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = datetime.date(1985, 3, 2)
    sex = Patient.Sex.FEMALE


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    therapist = factory.SubFactory(UserFactory)
    performed_at = factory.LazyFunction(timezone.now)
    complaint = "Pulling behind the thigh after sitting"


class TestResultFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestResult

    assessment = factory.SubFactory(AssessmentFactory)
    test = factory.LazyFunction(lambda: standard_test("SLR"))
    side = "left"
    range_at_onset_deg = 55
    range_at_max_deg = 70
    differentiation = TestResult.Differentiation.INCREASED


class StepFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepFinding

    result = factory.SubFactory(TestResultFactory)
    step = factory.LazyAttribute(lambda finding: finding.result.test.steps.first())
    symptoms_reproduced = StepFinding.Reproduced.PARTIAL
    symptom_kinds = factory.LazyFunction(lambda: ["stretch"])
    location = "back of thigh"
    intensity = 3


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    slug = factory.Sequence(lambda n: f"clinic-glide-{n}")
    name = factory.Sequence(lambda n: f"Clinic glide {n}")
    kind = Exercise.Kind.SLIDER
    nerve = "median"
    region = Exercise.Region.UPPER
    purpose = "Helps the nerve in your arm move freely."

    @factory.post_generation
    def movements(self, create, extracted, **kwargs):
        if create:
            ExerciseMovement.objects.create(
                exercise=self, order=1, slug="start", title="Start", steps=["Sit tall.", "Breathe out."]
            )


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    therapist = factory.SubFactory(UserFactory)
    goals = "Sit through a work meeting"
    start_date = factory.LazyFunction(timezone.localdate)


# The handout that tests/assessments/test_handout_pages.py looks at and bench/handout.py
# times: three exercises of the standard library, five Letter pages with six drawings.
HANDOUT_EXERCISES = [
    "active-hamstring-mobilization",
    "sciatic-supine-slr-slider",
    "sciatic-seated-slump-tensioner",
]


def handout_plan():
    """(plan, therapist): Ada Byron's three-exercise plan from Dana Whitfield of Harbour
    Physiotherapy, each exercise at its default dose, in a clinic of its own."""
    clinic = Clinic.objects.create(
        name="Harbour Physiotherapy", slug="harbour-physiotherapy", phone="+1 555 0100"
    )
    therapist = member(
        clinic, username="dana", first_name="Dana", last_name="Whitfield", credentials="PT, DPT"
    )
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    plan = PlanFactory(patient=patient, therapist=therapist, goals="Sit through a work meeting")
    for order, slug in enumerate(HANDOUT_EXERCISES):
        exercise = standard_exercise(slug)
        PlanItem.objects.create(
            plan=plan,
            exercise=exercise,
            order=order,
            sets=exercise.default_sets,
            reps=exercise.default_reps,
            times_per_day=exercise.default_times_per_day,
        )
    return plan, therapist


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    exercise = factory.LazyFunction(lambda: standard_exercise("active-hamstring-mobilization"))
    order = factory.Sequence(lambda n: n)


class PatientLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientLink

    plan = factory.SubFactory(PlanFactory)
    clinic = factory.SelfAttribute("plan.clinic")
    created_by = factory.SelfAttribute("plan.therapist")
    expires_at = factory.LazyAttribute(lambda link: PatientLink.default_expiry(link.plan))


class SessionLogFactory(factory.django.DjangoModelFactory):
    """A session with every exercise of the plan done."""

    class Meta:
        model = SessionLog
        skip_postgeneration_save = True

    link = factory.SubFactory(PatientLinkFactory)
    plan = factory.SelfAttribute("link.plan")
    clinic = factory.SelfAttribute("link.clinic")
    date = factory.LazyFunction(timezone.localdate)
    pain = 2
    an_hour_later = SessionLog.HourLater.SAME

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create:
            SessionItem.objects.bulk_create(
                SessionItem(log=self, plan_item=item, exercise_id=item.exercise_id, done=SessionItem.Done.YES)
                for item in self.plan.items.all()
            )


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    session_log = factory.SubFactory(SessionLogFactory, pain=8)
    plan = factory.SelfAttribute("session_log.plan")
    clinic = factory.SelfAttribute("plan.clinic")
    kind = Alert.Kind.PAIN


# --- Outcome measures ---------------------------------------------------------------

WORDING_FILES = Path(__file__).resolve().parent / "outcomes" / "wording"


def instrument(code):
    return Instrument.objects.get(code=code)


def load_wording(clinic, code, admin):
    """The clinic's wording of a licensed instrument, from the test files (our own
    placeholder wording, not the licensed text)."""
    questionnaire = json.loads((WORDING_FILES / f"{code}-questionnaire.json").read_text())
    return outcome_services.import_wording(
        clinic=clinic, instrument=instrument(code), questionnaire=questionnaire, imported_by=admin
    )


def made_up_wording(clinic, code, admin):
    """A wording of any licensed instrument, made up on the spot ("Question 1", each
    answer its number), for tests that need several licensed measures at once."""
    measure = instrument(code)
    items = {
        item["link_id"]: {
            "text": f"Question {number}",
            "options": {str(option["value"]): str(option["value"]) for option in item["options"]},
        }
        for number, item in enumerate(measure.items, start=1)
    }
    return InstrumentWording.objects.create(
        clinic=clinic,
        instrument=measure,
        title=f"{measure.short_name} (test wording)",
        items=items,
        imported_by=admin,
    )


def open_link_for(patient):
    """An open link to a plan of ``patient``: what a measure needs to be sent."""
    therapist = patient.clinic.memberships.first().user
    return PatientLinkFactory(plan=PlanFactory(patient=patient, therapist=therapist))


def record_measure(patient, code, answers, *, by, days_ago=0, **options):
    """A signed response ``days_ago`` days ago; ``answers`` as ``{link_id: value}``
    (a PSFS value may be ``(activity, value)``)."""
    sent = []
    for link_id, value in answers.items():
        if isinstance(value, tuple):
            sent.append({"link_id": link_id, "value": value[1], "activity": value[0]})
        else:
            sent.append({"link_id": link_id, "value": value})
    return outcome_services.record_response(
        patient=patient,
        instrument=instrument(code),
        taken_at=timezone.now() - datetime.timedelta(days=days_ago),
        answers=sent,
        recorded_by=by,
        **options,
    )


__all__ = [
    "PASSWORD",
    "AlertFactory",
    "AssessmentFactory",
    "ClinicFactory",
    "ExerciseFactory",
    "MembershipFactory",
    "PatientFactory",
    "PatientLinkFactory",
    "PlanFactory",
    "PlanItemFactory",
    "SessionLogFactory",
    "StepFindingFactory",
    "TestResultFactory",
    "TestStep",
    "UserFactory",
    "instrument",
    "load_wording",
    "made_up_wording",
    "member",
    "open_link_for",
    "record_measure",
    "standard_exercise",
    "standard_test",
]
