import pytest
from django.urls import reverse

from clinic.models import AuditEvent, Membership, Patient
from tests.factories import PASSWORD, ClinicFactory, MembershipFactory, PatientFactory, UserFactory
from tests.pages import (
    ACTIONS,
    DELIVERIES,
    FORMS,
    READS,
    Page,
    glide_rows,
    last_event_id,
    page_names,
    wrong_methods,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


def test_pages_ask_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("patient-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_labels_its_fields_and_logs_the_therapist_in(client, therapist):
    page = client.get(reverse("login"))
    assert '<label for="id_username">' in page.text
    assert '<label for="id_password">' in page.text

    response = client.post(reverse("login"), {"username": "thera", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_keeps_the_username_and_says_what_is_wrong(client, therapist):
    response = client.post(reverse("login"), {"username": "thera", "password": "nope"})

    assert response.status_code == 200
    assert 'value="thera"' in response.text
    assert "correct username and password" in response.text


def test_log_out_ends_the_session(therapist_client):
    response = therapist_client.post(reverse("logout"))

    assert response.status_code == 302
    assert therapist_client.get(reverse("patient-list")).status_code == 302


def test_patient_list_shows_only_the_current_clinics_patients(therapist_client, patient, other_clinic):
    PatientFactory(clinic=other_clinic, given_name="Otto", family_name="Elsewhere")

    response = therapist_client.get(reverse("patient-list"))

    assert "Byron, Ada" in response.text
    assert "Elsewhere" not in response.text


def test_search_finds_patients_by_name_or_chart_number(therapist_client, patient, clinic):
    PatientFactory(clinic=clinic, given_name="Grace", family_name="Hopper", chart_number="B-7")

    by_name = therapist_client.get(reverse("patient-list"), {"q": "hopp"})
    by_chart = therapist_client.get(reverse("patient-list"), {"q": "A-1001"})

    assert "Hopper, Grace" in by_name.text and "Byron, Ada" not in by_name.text
    assert "Byron, Ada" in by_chart.text and "Hopper, Grace" not in by_chart.text


def test_search_partial_returns_only_the_rows_for_the_page_to_swap_in(therapist_client, patient):
    response = therapist_client.get(reverse("patient-list"), {"q": "ada", "partial": "1"})

    assert "Byron, Ada" in response.text
    assert "<html" not in response.text


def test_archived_patients_are_hidden_until_asked_for(therapist_client, patient):
    patient.archive()

    hidden = therapist_client.get(reverse("patient-list"))
    shown = therapist_client.get(reverse("patient-list"), {"archived": "on"})

    assert "Byron" not in hidden.text
    assert "Byron" in shown.text and "archived" in shown.text


def test_adding_a_patient_saves_them_in_the_current_clinic_and_traces_it(therapist_client, clinic):
    response = therapist_client.post(
        reverse("patient-add"),
        {
            "chart_number": "C-1",
            "given_name": "Mary",
            "family_name": "Shelley",
            "sex": "female",
            "preferred_language": "en",
        },
    )

    patient = Patient.objects.get(chart_number="C-1")
    assert patient.clinic == clinic
    assert response["Location"] == reverse("patient-chart", args=[patient.pk])
    assert AuditEvent.objects.filter(action="create", object_id=str(patient.pk)).exists()


def test_a_taken_chart_number_keeps_what_was_typed_and_says_so_beside_the_field(therapist_client, patient):
    response = therapist_client.post(
        reverse("patient-add"),
        {
            "chart_number": "A-1001",
            "given_name": "Mary",
            "family_name": "Shelley",
            "sex": "female",
            "preferred_language": "en",
        },
    )

    assert response.status_code == 200
    assert 'value="Shelley"' in response.text
    assert "Another patient of this clinic has this chart number." in response.text
    assert Patient.objects.count() == 1


def test_editing_a_patient_saves_and_bumps_the_version(therapist_client, patient):
    response = therapist_client.post(
        reverse("patient-edit", args=[patient.pk]),
        {
            "chart_number": "A-1001",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "sex": "female",
            "preferred_language": "en",
        },
    )

    patient.refresh_from_db()
    assert response.status_code == 302
    assert patient.family_name == "Lovelace"
    assert patient.version == 2


def test_another_clinics_patient_is_not_found(client, outsider, patient):
    client.force_login(outsider)

    assert client.get(reverse("patient-edit", args=[patient.pk])).status_code == 404
    assert client.post(reverse("patient-archive", args=[patient.pk])).status_code == 404


def test_a_viewer_cannot_add_edit_or_archive(client, viewer, patient):
    client.force_login(viewer)

    assert client.get(reverse("patient-add")).status_code == 403
    assert client.get(reverse("patient-edit", args=[patient.pk])).status_code == 403
    assert client.post(reverse("patient-archive", args=[patient.pk])).status_code == 403
    patient.refresh_from_db()
    assert patient.archived_at is None
    assert AuditEvent.objects.filter(action="denied", actor=viewer).count() == 3


def test_archiving_keeps_the_patient_and_restoring_brings_them_back(therapist_client, patient):
    therapist_client.post(reverse("patient-archive", args=[patient.pk]))
    patient.refresh_from_db()
    assert patient.is_archived

    therapist_client.post(reverse("patient-restore", args=[patient.pk]))
    patient.refresh_from_db()
    assert not patient.is_archived
    assert list(AuditEvent.objects.filter(patient=patient).values_list("action", flat=True)) == [
        "restore",
        "archive",
    ]


def test_a_user_in_two_clinics_switches_between_them(client, therapist, patient, other_clinic):
    MembershipFactory(user=therapist, clinic=other_clinic, role=Membership.Role.THERAPIST)
    PatientFactory(clinic=other_clinic, given_name="Otto", family_name="Elsewhere")
    client.force_login(therapist)
    first = client.get(reverse("patient-list"))
    assert 'id="clinic-switch"' in first.text

    client.post(reverse("clinic-switch"), {"clinic": str(other_clinic.pk)})
    after = client.get(reverse("patient-list"))

    assert "Elsewhere" in after.text and "Byron" not in after.text
    assert client.get(reverse("patient-edit", args=[patient.pk])).status_code == 404


def test_switching_to_a_clinic_the_user_is_not_in_changes_nothing(therapist_client, patient):
    stranger = ClinicFactory()

    therapist_client.post(reverse("clinic-switch"), {"clinic": str(stranger.pk)})

    assert "Byron" in therapist_client.get(reverse("patient-list")).text


def test_a_user_without_a_clinic_is_told_to_ask_for_access(client):
    client.force_login(UserFactory())

    response = client.get(reverse("patient-list"))

    assert response.status_code == 403
    assert "not a member of any clinic" in response.text


# --- A field's errors are read with it ------------------------------------------------------


def test_a_fields_error_is_what_its_input_is_described_by(therapist_client, patient):
    response = therapist_client.post(
        reverse("patient-add"),
        {"chart_number": "A-1001", "given_name": "Mary", "family_name": "Shelley", "sex": "female"},
    )

    page = Page(response.text)
    assert page.description_of("id_chart_number") == "Another patient of this clinic has this chart number."


@pytest.mark.parametrize(
    ("who", "method", "name", "data"),
    [
        (None, "post", "login", {"username": "thera", "password": ""}),
        ("therapist", "post", "patient-add", {"chart_number": "", "date_of_birth": "yesterday"}),
        ("clinic_admin", "get", "patient-audit", {"since": "2026-02-30", "until": "1800-01-01"}),
    ],
    ids=["sign-in", "patient", "audit filter"],
)
def test_every_field_with_an_error_is_described_by_one_element_of_the_page(
    request, client, patient, who, method, name, data
):
    if who:
        client.force_login(request.getfixturevalue(who))
    url = reverse(name, args=[patient.pk] if name == "patient-audit" else [])

    page = Page(getattr(client, method)(url, data).text)

    assert page.descriptions, "no field was described"
    assert page.broken_descriptions() == []


# --- Each page answers only the methods it means ------------------------------------------

PAGES = {  # URL name: (the record its address names, the methods it answers)
    "patient-list": (None, READS),
    "clinic-switch": (None, ACTIONS),
    "patient-add": (None, FORMS),
    "patient-edit": ("patient", FORMS),
    "patient-archive": ("patient", ACTIONS),
    "patient-restore": ("patient", ACTIONS),
    "patient-audit": ("patient", READS),
    "patient-audit-csv": ("patient", DELIVERIES),
}


def test_every_page_of_the_app_is_in_the_methods_table():
    assert set(page_names("clinic.pages")) == set(PAGES)


@pytest.mark.parametrize(("name", "method"), wrong_methods(PAGES))
def test_a_method_a_page_does_not_mean_is_refused_with_405_and_leaves_no_trace(
    client, clinic_admin, patient, name, method
):
    client.force_login(clinic_admin)
    record, _ = PAGES[name]
    url = reverse(name, args=[patient.pk] if record else [])
    rows, since = glide_rows(), last_event_id()

    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert AuditEvent.objects.filter(id__gt=since).count() == 0
    assert glide_rows() == rows
