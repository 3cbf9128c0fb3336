"""
``manage.py seed_demo``: a demo clinic and a second clinic, three therapists, about
25 patients with two to five visits whose findings improve believably over time,
and plans for most of them.

Idempotent: running it again finds what it made and adds nothing.
"""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import Exercise, NeuroTest, StepFinding, TestResult
from clinic.models import Clinic, Membership, Patient, User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "glide-demo-2026"  # noqa: S105 - a published demo login, not a secret

CLINICS = [
    {
        "slug": "harbour",
        "name": "Harbour Physiotherapy",
        "phone": "+1 555 0100",
        "email": "front-desk@harbour-physio.example",
        "address": "12 Harbour Road\nSpringfield, OR 97477",
    },
    {
        "slug": "hillside",
        "name": "Hillside Physio & Rehab",
        "phone": "+1 555 0188",
        "email": "hello@hillside-rehab.example",
        "address": "480 Hillside Avenue\nEugene, OR 97401",
    },
]

THERAPISTS = [
    # username, first, last, credentials, {clinic slug: role}
    (DEMO_USERNAME, "Dana", "Whitfield", "PT, DPT", {"harbour": "admin", "hillside": "therapist"}),
    ("jlee", "Jordan", "Lee", "PT, OCS", {"harbour": "therapist"}),
    ("mokafor", "Maya", "Okafor", "PT, DPT", {"hillside": "admin"}),
]

GIVEN_NAMES = [
    "Ada",
    "Bilal",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farah",
    "Gareth",
    "Hana",
    "Isaac",
    "Jade",
    "Kofi",
    "Lucia",
    "Mateo",
    "Nadia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
]
FAMILY_NAMES = [
    "Byron",
    "Haddad",
    "Ortiz",
    "Volkov",
    "Marsh",
    "Rahman",
    "Pryce",
    "Sato",
    "Brennan",
    "Fox",
    "Mensah",
    "Romano",
    "Silva",
    "Petrova",
    "Lindqvist",
    "Nair",
    "Doyle",
    "Castillo",
    "Berg",
    "Walsh",
    "Siddiqui",
    "Novak",
    "Zhang",
    "Ruiz",
    "Demir",
]

LOWER_COMPLAINTS = [
    "Pulling behind the {side} thigh after sitting",
    "Buttock pain spreading down the {side} leg",
    "Tingling in the {side} calf when driving",
    "Back pain with {side} leg symptoms on bending",
]
UPPER_COMPLAINTS = [
    "Pins and needles in the {side} hand at the keyboard",
    "Aching down the {side} arm when reaching overhead",
    "Numb {side} little finger after phone calls",
]

LOWER_TESTS = ["SLR", "SLUMP"]
UPPER_TESTS = ["ULNT1", "ULNT3"]
LOWER_EXERCISES = [
    "active-hamstring-mobilization",
    "sciatic-seated-slump-slider",
    "sciatic-supine-slr-slider",
    "sciatic-seated-slump-tensioner",
]
UPPER_EXERCISES = ["median-nerve-slider", "ulnar-nerve-slider", "median-nerve-tensioner"]
LOCATIONS = {"lower": "back of thigh", "upper": "forearm and hand"}


class Command(BaseCommand):
    help = "Create demo clinics, therapists, patients, assessments and plans (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=25, help="How many demo patients (default 25).")
        parser.add_argument("--quiet-login", action="store_true", help="Do not print the demo login.")

    @transaction.atomic
    def handle(self, *args, patients, quiet_login, **options):
        clinics = {spec["slug"]: self._clinic(spec) for spec in CLINICS}
        users = {spec[0]: self._therapist(spec, clinics) for spec in THERAPISTS}
        therapists_of = {
            "harbour": [users[DEMO_USERNAME], users["jlee"]],
            "hillside": [users["mokafor"], users[DEMO_USERNAME]],
        }
        created = 0
        for index in range(patients):
            clinic_slug = "harbour" if index % 4 != 3 else "hillside"
            rng = random.Random(index)
            patient, is_new = self._patient(index, clinics[clinic_slug], rng)
            if is_new or not patient.assessments.exists():
                self._history(patient, therapists_of[clinic_slug], rng, index)
                created += 1
        if created:
            self.stdout.write(f"Demo data: {created} patients with their visits and plans created.")
        else:
            self.stdout.write("Demo data already present; nothing to add.")
        if not quiet_login:
            self.stdout.write(
                self.style.SUCCESS(
                    "\n  Glide demo login: http://127.0.0.1:8000/\n"
                    f"    username: {DEMO_USERNAME}\n    password: {DEMO_PASSWORD}\n"
                    "  (admin of Harbour Physiotherapy, therapist at Hillside Physio & Rehab)\n"
                )
            )

    def _clinic(self, spec):
        clinic, _ = Clinic.objects.get_or_create(slug=spec["slug"], defaults=spec)
        return clinic

    def _therapist(self, spec, clinics):
        username, first, last, credentials, roles = spec
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "credentials": credentials,
                "email": f"{username}@glide.example",
                "is_staff": username == DEMO_USERNAME,
                "is_superuser": username == DEMO_USERNAME,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for slug, role in roles.items():
            Membership.objects.get_or_create(user=user, clinic=clinics[slug], defaults={"role": role})
        return user

    def _patient(self, index, clinic, rng):
        given = GIVEN_NAMES[index % len(GIVEN_NAMES)]
        family = FAMILY_NAMES[(index * 7) % len(FAMILY_NAMES)]
        prefix = "H" if clinic.slug == "harbour" else "R"
        patient, created = Patient.objects.get_or_create(
            clinic=clinic,
            chart_number=f"{prefix}-{1001 + index}",
            defaults={
                "given_name": given,
                "family_name": family,
                "date_of_birth": datetime.date(
                    1950 + rng.randrange(50), rng.randrange(1, 13), rng.randrange(1, 28)
                ),
                "sex": rng.choice(["female", "male", "female", "male", "other"]),
                "phone": f"+1 555 01{index:02d}",
                "email": f"{given.lower()}.{family.lower()}@example.org",
            },
        )
        return patient, created

    def _history(self, patient, therapists, rng, index):
        region = "upper" if index % 3 == 2 else "lower"
        affected = rng.choice(["left", "right"])
        visits = 2 + rng.randrange(4)
        tests = {code: NeuroTest.objects.standard().get(code=code) for code in (LOWER_TESTS + UPPER_TESTS)}
        codes = LOWER_TESTS if region == "lower" else UPPER_TESTS
        complaint = rng.choice(LOWER_COMPLAINTS if region == "lower" else UPPER_COMPLAINTS).format(
            side=affected
        )
        start = timezone.now() - datetime.timedelta(days=7 * visits + rng.randrange(3))
        onset_start = rng.randrange(35, 55)
        assessments = []
        for visit in range(visits):
            progress = visit / max(visits - 1, 1)  # 0 at the first visit, 1 at the last
            results = []
            for code in codes:
                test = tests[code]
                steps = list(test.steps.order_by("order"))
                for side in ("left", "right"):
                    results.append(
                        self._result(test, steps, side, side == affected, progress, onset_start, region, rng)
                    )
            performed_at = start + datetime.timedelta(days=7 * visit, hours=rng.randrange(8))
            performed_at = performed_at.replace(minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0)
            therapist = therapists[visit % len(therapists)] if visit else therapists[0]
            assessment = services.create_assessment(
                therapist=therapist,
                patient=patient,
                performed_at=performed_at,
                complaint=complaint,
                notes="Symptoms easing with the home programme." if visit else "First visit.",
                results=results,
            )
            is_latest = visit == visits - 1
            if not (is_latest and index % 5 == 0):
                assessment = services.sign_assessment(
                    assessment, signed_by=therapist, at=performed_at + datetime.timedelta(minutes=40)
                )
            assessments.append(assessment)
        if index % 6 != 5:
            self._plan(patient, therapists[0], assessments[-1], region, rng)

    def _result(self, test, steps, side, affected, progress, onset_start, region, rng):
        if affected:
            onset = min(180, int(onset_start + progress * rng.randrange(20, 35)))
            reproduced_from = 1 + int(progress * len(steps))  # later visits reproduce later, or not at all
            differentiation = (
                TestResult.Differentiation.DECREASED
                if test.code == "SLUMP"
                else TestResult.Differentiation.INCREASED
            )
        else:
            onset = rng.randrange(78, 88)
            reproduced_from = len(steps) + 1
            differentiation = TestResult.Differentiation.UNCHANGED
        findings = []
        for position, step in enumerate(steps, start=1):
            if position >= reproduced_from:
                level = "full" if position >= reproduced_from + 1 and progress < 0.5 else "partial"
                intensity = max(1, round((7 - 4 * progress) - (len(steps) - position) * 0.5))
                kinds = ["pain", "pins-and-needles"] if level == "full" else ["stretch"]
                findings.append(
                    {
                        "step": step,
                        "symptoms_reproduced": level,
                        "symptom_kinds": kinds,
                        "location": LOCATIONS[region],
                        "intensity": intensity,
                    }
                )
            else:
                findings.append({"step": step, "symptoms_reproduced": StepFinding.Reproduced.NONE})
        if not any(finding["symptoms_reproduced"] != "none" for finding in findings):
            differentiation = TestResult.Differentiation.NOT_TESTED
        return {
            "test": test,
            "side": side,
            "range_at_onset_deg": onset,
            "range_at_max_deg": min(180, onset + rng.randrange(8, 20)),
            "differentiation": differentiation,
            "findings": findings,
        }

    def _plan(self, patient, therapist, assessment, region, rng):
        slugs = LOWER_EXERCISES if region == "lower" else UPPER_EXERCISES
        chosen = rng.sample(slugs, 2 if rng.random() < 0.6 else 3)
        exercises = {
            exercise.slug: exercise for exercise in Exercise.objects.standard().filter(slug__in=chosen)
        }
        start = assessment.performed_at.date()
        services.create_plan(
            therapist=therapist,
            patient=patient,
            assessment=assessment,
            goals="Sit through a work meeting without leg symptoms"
            if region == "lower"
            else "Type for an hour without tingling in the hand",
            start_date=start,
            review_date=start + datetime.timedelta(days=14),
            items=[
                {
                    "exercise": exercises[slug],
                    "sets": exercises[slug].default_sets,
                    "reps": exercises[slug].default_reps,
                    "hold_seconds": exercises[slug].default_hold_seconds,
                    "times_per_day": exercises[slug].default_times_per_day,
                    "days_per_week": exercises[slug].default_days_per_week,
                    "side": "both",
                    "cues": "",
                    # A tensioner asks more of the nerve: every other day, on days named.
                    **(
                        {"weekdays": ["mon", "wed", "fri"], "days_per_week": 3}
                        if exercises[slug].kind == Exercise.Kind.TENSIONER
                        else {}
                    ),
                }
                for slug in chosen
                if slug in exercises
            ],
        )
