"""
Synthetic but believable clinical records in bulk, for load tests and benchmarks.

``manage.py generate_dataset`` drives it. Each patient gets three to eight visits a
week or so apart, two to four neurodynamic tests per visit on both sides with a
finding for every step of the test, symptoms that ease over the visits on the
affected side, and most of them a plan with two or three exercises. Most visits are
signed; the latest one is sometimes still a draft.

Speed comes from writing rows, not model instances: every row is a plain tuple
(ids included, generated here) and a batch of patients is written one statement per
table: ``COPY`` on PostgreSQL, ``executemany`` elsewhere. Nothing the database
enforces is switched off: check constraints, foreign keys and the trigger that ties
a finding's step to its result's test all see every row, and interpretations come
from ``interpretation.interpret`` like those the app records.
"""

import datetime
import itertools
import json
import multiprocessing
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, connections, models, transaction

from clinic.models import Clinic, Membership, Patient, User

from . import interpretation
from .models import Assessment, Exercise, NeuroTest, Plan, PlanItem, StepFinding, TestResult

# The columns each generated row fills, in row order. Every concrete field is
# listed: COPY applies no Django defaults, so a field left out would be NULL.
COLUMNS = {
    Patient: (
        "id",
        "created_at",
        "updated_at",
        "clinic_id",
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
    ),
    Assessment: (
        "id",
        "created_at",
        "updated_at",
        "clinic_id",
        "patient_id",
        "therapist_id",
        "performed_at",
        "complaint",
        "notes",
        "status",
        "signed_by_id",
        "signed_at",
        "version",
    ),
    TestResult: (
        "id",
        "created_at",
        "updated_at",
        "assessment_id",
        "test_id",
        "side",
        "range_at_onset_deg",
        "range_at_max_deg",
        "differentiation",
        "interpretation",
        "interpretation_override",
        "override_reason",
        "notes",
    ),
    StepFinding: (
        "id",
        "created_at",
        "updated_at",
        "result_id",
        "step_id",
        "symptoms_reproduced",
        "symptom_kinds",
        "location",
        "intensity",
    ),
    Plan: (
        "id",
        "created_at",
        "updated_at",
        "clinic_id",
        "patient_id",
        "therapist_id",
        "assessment_id",
        "goals",
        "start_date",
        "review_date",
        "status",
        "version",
    ),
    PlanItem: (
        "id",
        "created_at",
        "updated_at",
        "plan_id",
        "exercise_id",
        "order",
        "sets",
        "reps",
        "hold_seconds",
        "times_per_day",
        "days_per_week",
        "weekdays",
        "side",
        "cues",
    ),
}
# Written in this order: a finding's trigger looks its result up, so results come first.
WRITE_ORDER = (Patient, Assessment, TestResult, StepFinding, Plan, PlanItem)

GIVEN_NAMES = [
    "Ada",
    "Aiko",
    "Alba",
    "Amara",
    "Amir",
    "Anika",
    "Arjun",
    "Astrid",
    "Aurelio",
    "Bea",
    "Bilal",
    "Bruno",
    "Camille",
    "Carmen",
    "Chen",
    "Chiara",
    "Dalia",
    "Dario",
    "Dmitri",
    "Elena",
    "Elif",
    "Emeka",
    "Esme",
    "Ezra",
    "Farah",
    "Felix",
    "Freya",
    "Gareth",
    "Greta",
    "Hana",
    "Hamid",
    "Hugo",
    "Ines",
    "Ingrid",
    "Isaac",
    "Ivo",
    "Jade",
    "Jamal",
    "Janek",
    "Joao",
    "Kai",
    "Kamala",
    "Kenji",
    "Kofi",
    "Lars",
    "Leila",
    "Leon",
    "Lucia",
    "Luka",
    "Mae",
    "Malik",
    "Mara",
    "Mateo",
    "Maya",
    "Milan",
    "Mira",
    "Nadia",
    "Naveen",
    "Nia",
    "Noor",
    "Olga",
    "Omar",
    "Oscar",
    "Paloma",
    "Pavel",
    "Priya",
    "Quinn",
    "Rafael",
    "Rania",
    "Ravi",
    "Rosa",
    "Ruth",
    "Sami",
    "Sana",
    "Sven",
    "Tara",
    "Teo",
    "Thandi",
    "Tomas",
    "Umar",
    "Uma",
    "Valentina",
    "Vera",
    "Viktor",
    "Wen",
    "Wiebke",
    "Xavier",
    "Ximena",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zofia",
    "Zoltan",
]
FAMILY_NAME_STARTS = [
    "Ash",
    "Bell",
    "Black",
    "Bram",
    "Brook",
    "Burn",
    "Cald",
    "Carr",
    "Chad",
    "Clay",
    "Cole",
    "Crane",
    "Dal",
    "Dun",
    "East",
    "Fair",
    "Fern",
    "Fox",
    "Gold",
    "Green",
    "Hale",
    "Hart",
    "Hay",
    "Holl",
    "Kings",
    "Lang",
    "Lind",
    "Marsh",
    "Mill",
    "North",
    "Oak",
    "Pem",
    "Rad",
    "Red",
    "Rook",
    "Roth",
    "Sand",
    "Shel",
    "Stan",
    "Stock",
    "Thorn",
    "Wal",
    "West",
    "Whit",
    "Wood",
    "Wynd",
]
FAMILY_NAME_ENDS = [
    "bourne",
    "bridge",
    "brook",
    "by",
    "combe",
    "croft",
    "dale",
    "den",
    "field",
    "ford",
    "gate",
    "ham",
    "hurst",
    "ington",
    "land",
    "ley",
    "low",
    "mere",
    "more",
    "ridge",
    "stead",
    "stone",
    "ton",
    "wick",
    "well",
    "wood",
    "worth",
]

LOWER_TESTS = ("SLR", "SLUMP", "SLR-TIB", "SLR-PER", "SLR-SUR", "PKB", "SL-SLUMP", "PNF")
UPPER_TESTS = ("ULNT1", "ULNT2A", "ULNT2B", "ULNT3")
DECREASING_TESTS = ("SLUMP", "SL-SLUMP")  # releasing neck flexion eases the symptoms
COMPLAINTS = {
    "lower": (
        "Pulling behind the {side} thigh after sitting",
        "Buttock pain spreading down the {side} leg",
        "Tingling in the {side} calf when driving",
        "Back pain with {side} leg symptoms on bending",
        "Burning along the outside of the {side} foot",
    ),
    "upper": (
        "Pins and needles in the {side} hand at the keyboard",
        "Aching down the {side} arm when reaching overhead",
        "Numb {side} little finger after phone calls",
        "Neck pain spreading into the {side} forearm",
    ),
}
LOCATIONS = {
    "lower": ("back of thigh", "buttock", "calf", "outside of the foot"),
    "upper": ("forearm and hand", "thumb and index finger", "little finger", "upper arm"),
}
GOALS = {
    "lower": (
        "Sit through a work meeting without leg symptoms",
        "Drive for an hour without tingling",
        "Walk the dog for thirty minutes",
    ),
    "upper": (
        "Type for an hour without tingling in the hand",
        "Reach the top shelf without arm pain",
        "Sleep through the night without numbness",
    ),
}
NOTES_FIRST = "First visit. Home programme taught."
NOTES_LATER = ("Symptoms easing with the home programme.", "Reports better sitting tolerance.", "")
CUES = ("", "", "Keep the movement small and easy.", "Breathe out as you straighten.")

KINDS_FULL = json.dumps(["pain", "pins-and-needles"])
KINDS_PARTIAL = json.dumps(["stretch"])
KINDS_NONE = json.dumps([])

SIGNED, DRAFT = Assessment.Status.SIGNED.value, Assessment.Status.DRAFT.value
INCREASED, DECREASED = TestResult.Differentiation.INCREASED.value, TestResult.Differentiation.DECREASED.value
UNCHANGED, NOT_TESTED = (
    TestResult.Differentiation.UNCHANGED.value,
    TestResult.Differentiation.NOT_TESTED.value,
)


def time_ordered_id_prefix(rng):
    """The first half of a run's ids: milliseconds since the epoch, version 7 and 12
    random bits (the UUIDv7 layout)."""
    return f"{time.time_ns() // 1_000_000:012x}7{rng.getrandbits(12):03x}"


def time_ordered_ids(prefix, batch_number):
    """A batch's ids, as 32 hex digits: the run's prefix, then the UUID variant, the
    batch number and a counter. Ids handed out in order land at the right edge of each
    primary-key and foreign-key index instead of all over it, which keeps a bulk
    load's index pages in memory; batches written side by side never collide."""
    counter = itertools.count((0b10 << 62) | (batch_number << 32))
    return lambda: f"{prefix}{next(counter):016x}"


@dataclass
class Batch:
    """The rows of a batch of patients, per model, in ``COLUMNS`` order."""

    rows: dict = field(default_factory=lambda: {model: [] for model in WRITE_ORDER})


@dataclass
class Catalogue:
    """The standard tests (with their ordered step ids) and exercises, by region."""

    tests: dict  # region -> [(test id, code, (step id, ...)), ...]
    exercises: dict  # region -> [(exercise id, default dose tuple), ...]

    @classmethod
    def load(cls):
        by_code = {
            test.code: test
            for test in NeuroTest.objects.standard()
            .filter(code__in=LOWER_TESTS + UPPER_TESTS)
            .prefetch_related("steps")
        }
        tests = {
            region: [
                (by_code[code].pk.hex, code, tuple(step.pk for step in by_code[code].steps.all()))
                for code in codes
                if code in by_code
            ]
            for region, codes in (("lower", LOWER_TESTS), ("upper", UPPER_TESTS))
        }
        exercises = {"lower": [], "upper": []}
        for exercise in Exercise.objects.standard().active().order_by("slug"):
            exercises[exercise.region].append(
                (
                    exercise.pk.hex,
                    (
                        exercise.default_sets,
                        exercise.default_reps,
                        exercise.default_hold_seconds,
                        exercise.default_times_per_day,
                        exercise.default_days_per_week,
                    ),
                )
            )
        if len(tests["lower"]) < 4 or len(tests["upper"]) < 4 or not all(exercises.values()):
            raise LookupError("The standard catalogue is missing: run the migrations first.")
        return cls(tests=tests, exercises=exercises)


@dataclass
class Staff:
    """A generated clinic and the ids of its therapists."""

    clinic_id: str
    slug: str
    therapist_ids: list


def create_clinics(count, rng, therapists_per_clinic=4):
    """New clinics with therapists (one of them the clinic's admin), named so that
    they never collide with earlier runs. A few statements whatever ``count``."""
    taken = set(Clinic.objects.filter(slug__startswith="generated-").values_list("slug", flat=True))
    numbers = (number for number in itertools.count(1) if f"generated-{number}" not in taken)
    clinics, users, memberships, staff = [], [], [], []
    for number in itertools.islice(numbers, count):
        slug = f"generated-{number}"
        clinic = Clinic(name=f"{rng.choice(FAMILY_NAME_STARTS)}field Physiotherapy {number}", slug=slug)
        clinics.append(clinic)
        therapist_ids = []
        for index in range(therapists_per_clinic):
            user = User(
                username=f"{slug}-therapist-{index + 1}",
                first_name=rng.choice(GIVEN_NAMES),
                last_name=_family_name(rng),
                credentials=rng.choice(("PT, DPT", "PT, OCS", "PT")),
            )
            user.set_unusable_password()
            users.append(user)
            therapist_ids.append(user.pk.hex)
            role = Membership.Role.ADMIN if index == 0 else Membership.Role.THERAPIST
            memberships.append(Membership(user=user, clinic=clinic, role=role))
        staff.append(Staff(clinic_id=clinic.pk.hex, slug=slug, therapist_ids=therapist_ids))
    Clinic.objects.bulk_create(clinics)
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(memberships)
    return staff


def _family_name(rng):
    return rng.choice(FAMILY_NAME_STARTS) + rng.choice(FAMILY_NAME_ENDS)


class DatasetBuilder:
    """Builds the rows of patients and their records. Deterministic for a given
    seed, apart from the ids (time-ordered) and the anchor of the dates (now)."""

    def __init__(self, catalogue, staff, seed=0, now=None, id_prefix=None):
        self.catalogue = catalogue
        self.staff = staff
        self.seed = seed
        self.now = now or datetime.datetime.now(datetime.UTC)
        self.id_prefix = id_prefix or time_ordered_id_prefix(random.Random())

    def batch(self, batch_number, patient_numbers):
        """The rows of one batch. Each batch has its own random stream and ids, so
        batches can be built in any order, or side by side, with the same result."""
        self.rng = random.Random(f"{self.seed}:{batch_number}")
        self.new_id = time_ordered_ids(self.id_prefix, batch_number)
        batch = Batch()
        for number in patient_numbers:
            self._patient(batch.rows, number)
        return batch

    def _patient(self, rows, number):
        rng = self.rng
        staff = self.staff[number % len(self.staff)]
        therapists = staff.therapist_ids
        own_therapist = therapists[number % len(therapists)]
        region = "upper" if rng.random() < 0.35 else "lower"
        affected = "left" if rng.random() < 0.5 else "right"
        visits = rng.randint(3, 8)
        first_visit = (self.now - datetime.timedelta(days=rng.randint(7 * visits + 1, 3 * 365))).replace(
            hour=rng.randint(8, 17), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0
        )
        visit_times = [first_visit]
        for _ in range(visits - 1):
            visit_times.append(visit_times[-1] + datetime.timedelta(days=rng.randint(5, 10)))
        last_visit = visit_times[-1]

        patient_id = self.new_id()
        given, family = rng.choice(GIVEN_NAMES), _family_name(rng)
        created = first_visit - datetime.timedelta(minutes=20)
        archived_at = None
        if rng.random() < 0.03 and (self.now - last_visit).days > 90:
            archived_at = last_visit + datetime.timedelta(days=rng.randint(30, 90))
        rows[Patient].append(
            (
                patient_id,
                created,
                archived_at or created,
                staff.clinic_id,
                f"G-{number + 1:07d}",
                given,
                family,
                datetime.date(rng.randint(1940, 2008), rng.randint(1, 12), rng.randint(1, 28)),
                rng.choice(("female", "male", "female", "male", "other", "unknown")),
                f"+1 555 {rng.randint(0, 9999):04d}",
                f"{given.lower()}.{family.lower()}{number + 1}@example.org",
                "en" if rng.random() < 0.85 else rng.choice(("es", "fr", "de", "pt")),
                archived_at,
                2 if archived_at else 1,
            )
        )

        tests = rng.sample(self.catalogue.tests[region], rng.randint(2, 4))
        complaint = rng.choice(COMPLAINTS[region]).format(side=affected)
        location = rng.choice(LOCATIONS[region])
        onset_start, gain = rng.randint(35, 55), rng.randint(15, 35)
        leaves_draft = rng.random() < 0.15
        first_assessment_id = None
        for visit, performed_at in enumerate(visit_times):
            progress = visit / (visits - 1)  # 0 at the first visit, 1 at the last
            therapist_id = own_therapist if rng.random() < 0.8 else rng.choice(therapists)
            is_draft = leaves_draft and visit == visits - 1
            signed_at = None if is_draft else performed_at + datetime.timedelta(minutes=40)
            assessment_id = self.new_id()
            first_assessment_id = first_assessment_id or assessment_id
            rows[Assessment].append(
                (
                    assessment_id,
                    performed_at,
                    signed_at or performed_at,
                    staff.clinic_id,
                    patient_id,
                    therapist_id,
                    performed_at,
                    complaint,
                    NOTES_FIRST if visit == 0 else rng.choice(NOTES_LATER),
                    DRAFT if is_draft else SIGNED,
                    None if is_draft else therapist_id,
                    signed_at,
                    1 if is_draft else 2,
                )
            )
            onset = onset_start + int(progress * gain)
            for test_id, code, step_ids in tests:
                for side in ("left", "right"):
                    self._result(
                        rows,
                        assessment_id,
                        performed_at,
                        test_id,
                        code,
                        step_ids,
                        side == affected,
                        side,
                        progress,
                        onset,
                        location,
                    )
        if rng.random() < 0.85:
            self._plan(
                rows, staff.clinic_id, patient_id, first_assessment_id, own_therapist, visit_times, region
            )

    def _result(
        self, rows, assessment_id, at, test_id, code, step_ids, affected, side, progress, onset, location
    ):
        rng = self.rng
        steps = len(step_ids)
        if affected:
            reproduced_from = 1 + int(progress * steps)  # later visits reproduce later, or not at all
            differentiation = DECREASED if code in DECREASING_TESTS else INCREASED
            if rng.random() < 0.1:
                differentiation = NOT_TESTED
        else:
            onset = rng.randint(72, 88)
            reproduced_from = steps + 1 if rng.random() < 0.9 else steps  # the odd stretch at the end
            differentiation = UNCHANGED
        result_id = self.new_id()
        levels = []
        findings = rows[StepFinding]
        worst = 7 - 4 * progress
        for position, step_id in enumerate(step_ids, start=1):
            if position < reproduced_from:
                levels.append("none")
                findings.append((self.new_id(), at, at, result_id, step_id, "none", KINDS_NONE, "", None))
                continue
            level = "full" if affected and position > reproduced_from and progress < 0.5 else "partial"
            levels.append(level)
            intensity = max(1, min(10, round(worst - (steps - position) * 0.5 + rng.random())))
            kinds = KINDS_FULL if level == "full" else KINDS_PARTIAL
            findings.append((self.new_id(), at, at, result_id, step_id, level, kinds, location, intensity))
        if reproduced_from > steps:
            differentiation = NOT_TESTED
        rows[TestResult].append(
            (
                result_id,
                at,
                at,
                assessment_id,
                test_id,
                side,
                onset,
                min(180, onset + rng.randint(8, 20)),
                differentiation,
                interpretation.interpret(levels, differentiation),
                "",
                "",
                "",
            )
        )

    def _plan(self, rows, clinic_id, patient_id, assessment_id, therapist_id, visit_times, region):
        rng = self.rng
        first_visit, last_visit = visit_times[0], visit_times[-1]
        start = first_visit.date()
        finished = (self.now - last_visit).days > 60
        plan_id = self.new_id()
        rows[Plan].append(
            (
                plan_id,
                first_visit,
                last_visit if finished else first_visit,
                clinic_id,
                patient_id,
                therapist_id,
                assessment_id,
                rng.choice(GOALS[region]),
                start,
                start + datetime.timedelta(days=14),
                "completed" if finished else "active",
                2 if finished else 1,
            )
        )
        exercises = self.catalogue.exercises[region]
        for order, (exercise_id, dose) in enumerate(
            rng.sample(exercises, min(len(exercises), rng.randint(2, 3)))
        ):
            sets, reps, hold, per_day, per_week = dose
            rows[PlanItem].append(
                (
                    self.new_id(),
                    first_visit,
                    first_visit,
                    plan_id,
                    exercise_id,
                    order,
                    sets,
                    reps,
                    hold,
                    per_day,
                    per_week,
                    "[]",
                    "both",
                    rng.choice(CUES),
                )
            )


class RowWriter:
    """Writes a batch one statement per table."""

    def __init__(self, connection):
        self.connection = connection
        self.tables = {}
        for model, columns in COLUMNS.items():
            fields = [model._meta.get_field(attname) for attname in columns]
            missing = {f.attname for f in model._meta.concrete_fields} - set(columns)
            if missing:
                raise LookupError(f"{model.__name__} has fields the dataset does not fill: {sorted(missing)}")
            self.tables[model] = (model._meta.db_table, fields)

    @classmethod
    def for_connection(cls, connection):
        return (CopyWriter if connection.vendor == "postgresql" else cls)(connection)

    def start(self):
        """Session settings for a bulk load."""

    def finish(self):
        """Undo what ``start`` changed, once every batch is written."""

    def write(self, batch):
        # Notes are written as drafts and signed once their results and findings are
        # in: the database refuses results added to a signed note, whoever writes them.
        drafts, signatures = as_drafts(batch.rows[Assessment])
        for model in WRITE_ORDER:
            rows = drafts if model is Assessment else batch.rows[model]
            if rows:
                self.write_rows(model, rows)
        if signatures:
            self.sign(signatures)

    def sign(self, signatures):
        table = self.connection.ops.quote_name(Assessment._meta.db_table)
        sql = f"UPDATE {table} SET status = %s, signed_by_id = %s, signed_at = %s WHERE id = %s"  # noqa: S608
        field = Assessment._meta.pk
        with self.connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    (
                        SIGNED,
                        Assessment._meta.get_field("signed_by").get_db_prep_save(signer, self.connection),
                        Assessment._meta.get_field("signed_at").get_db_prep_save(signed_at, self.connection),
                        field.get_db_prep_save(assessment_id, self.connection),
                    )
                    for assessment_id, signer, signed_at in signatures
                ],
            )

    def write_rows(self, model, rows):
        table, fields = self.tables[model]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        # Names come from the models' metadata; values travel as parameters.
        sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        json_columns = [index for index, f in enumerate(fields) if isinstance(f, models.JSONField)]
        connection = self.connection
        prepared = []
        for row in rows:
            if json_columns:
                row = list(row)
                for index in json_columns:
                    row[index] = json.loads(row[index])
            prepared.append(
                [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
            )
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)


def as_drafts(assessment_rows):
    """Split assessment rows into the rows to insert (every one a draft) and the
    signatures to apply afterwards: ``(id, signed_by_id, signed_at)``."""
    columns = COLUMNS[Assessment]
    status, signer, signed_at = (columns.index(name) for name in ("status", "signed_by_id", "signed_at"))
    drafts, signatures = [], []
    for row in assessment_rows:
        if row[status] == SIGNED:
            signatures.append((row[0], row[signer], row[signed_at]))
            row = list(row)
            row[status], row[signer], row[signed_at] = DRAFT, None, None
            row = tuple(row)
        drafts.append(row)
    return drafts, signatures


class CopyWriter(RowWriter):
    """PostgreSQL: ``COPY ... FROM STDIN`` per table, with commits that do not wait
    for the disk (a crash loses at most the last batches, never consistency)."""

    def start(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")

    def finish(self):
        """Bring the planner's statistics up to date and merge the patient search
        index's pending entries (a GIN index collects new rows in a list that every
        search reads until a vacuum merges it). VACUUM cannot run inside a
        transaction: there, ANALYZE alone."""
        tables = [model._meta.db_table for model in WRITE_ORDER]
        with self.connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
            if not self.connection.in_atomic_block:
                cursor.execute(f"VACUUM (ANALYZE) {Patient._meta.db_table}")
            cursor.execute(f"ANALYZE {', '.join(tables)}")

    def sign(self, signatures):
        ids, signers, times = zip(*signatures, strict=True)
        table = self.connection.ops.quote_name(Assessment._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS note SET status = %s, signed_by_id = signed.signer, "  # noqa: S608
                "signed_at = signed.at FROM unnest(%s::uuid[], %s::uuid[], %s::timestamptz[]) "
                "AS signed(id, signer, at) WHERE note.id = signed.id",
                [SIGNED, list(ids), list(signers), list(times)],
            )

    def write_rows(self, model, rows):
        table, fields = self.tables[model]
        quote = self.connection.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.copy(sql) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


# --- Running a generation ----------------------------------------------------------

_worker = {}


def _start_worker(builder):
    """In a worker process: a connection of its own, set up for a bulk load."""
    connections.close_all()
    _worker["builder"] = builder
    _worker["writer"] = RowWriter.for_connection(connection)
    _worker["writer"].start()


def _write_batch(batch_number, first, last):
    batch = _worker["builder"].batch(batch_number, range(first, last))
    with transaction.atomic():
        _worker["writer"].write(batch)
    return {model: len(rows) for model, rows in batch.rows.items()}


def generate(patients, clinics, seed=0, batch_size=2000, workers=1, on_batch=None):
    """Create ``clinics`` new clinics with their therapists and ``patients`` patients
    with their records. Each batch of patients is one transaction, so an interrupted
    run leaves whole patients behind, never half a visit. With several ``workers``
    (PostgreSQL only), batches are written side by side by as many processes, each
    on its own connection. Returns ``(staff, {model: rows written})``."""
    if workers > 1 and connection.vendor != "postgresql":
        raise ValueError("Parallel workers need PostgreSQL; SQLite writes one transaction at a time.")
    catalogue = Catalogue.load()
    with transaction.atomic():
        staff = create_clinics(clinics, random.Random(seed))
    builder = DatasetBuilder(catalogue, staff, seed=seed)
    batches = [
        (number, first, min(first + batch_size, patients))
        for number, first in enumerate(range(0, patients, batch_size))
    ]
    totals = dict.fromkeys(WRITE_ORDER, 0)

    def add(counts):
        for model, count in counts.items():
            totals[model] += count
        if on_batch:
            on_batch(totals)

    if workers <= 1:
        _worker["builder"] = builder
        _worker["writer"] = RowWriter.for_connection(connection)
        _worker["writer"].start()
        try:
            for args in batches:
                add(_write_batch(*args))
        finally:
            _worker.clear()
    else:
        connections.close_all()  # forked workers must not share the parent's connection
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(builder,)
        ) as pool:
            for counts in pool.map(_write_batch, *zip(*batches, strict=True)):
                add(counts)
    RowWriter.for_connection(connection).finish()
    return staff, totals
