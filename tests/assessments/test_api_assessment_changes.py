"""Changing, signing and adding to assessments over the API."""

import pytest

from assessments import services
from assessments.models import Addendum, Assessment
from clinic.models import AuditEvent, Membership

from ..api import api_client, audit_actions, slr_payload
from ..factories import member

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"


@pytest.fixture
def draft(therapist, patient):
    response = api_client(therapist).post(URL, slr_payload(patient), format="json")
    return Assessment.objects.get(pk=response.json()["id"])


@pytest.fixture
def signed(draft, therapist):
    return services.sign_assessment(draft, signed_by=therapist)


def detail(assessment):
    return f"{URL}{assessment.pk}/"


def test_a_draft_changes_with_the_current_etag(therapist, draft):
    response = api_client(therapist).patch(
        detail(draft), {"complaint": "Pins and needles in the foot"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    draft.refresh_from_db()
    assert (draft.complaint, draft.version) == ("Pins and needles in the foot", 2)


def test_results_sent_in_a_change_replace_the_recorded_ones(therapist, draft, patient):
    payload = slr_payload(patient)
    payload["results"] = payload["results"][:1]
    response = api_client(therapist).put(detail(draft), payload, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.json()
    assert [result["side"] for result in response.json()["results"]] == ["left"]
    assert response.json()["results"][0]["side_difference_deg"] is None


def test_a_change_without_if_match_answers_428(therapist, draft):
    response = api_client(therapist).patch(detail(draft), {"complaint": "Changed"}, format="json")
    assert response.status_code == 428
    assert response.json()["errors"][0]["code"] == "precondition_required"
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_change_with_a_stale_if_match_answers_412_and_changes_nothing(therapist, draft):
    response = api_client(therapist).patch(
        detail(draft), {"complaint": "Changed"}, format="json", HTTP_IF_MATCH='"7"'
    )
    assert response.status_code == 412
    assert response.json()["type"] == "client_error"
    draft.refresh_from_db()
    assert draft.complaint != "Changed"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_signed_assessment_answers_409_and_does_not_change(therapist, signed, patient, method):
    client = api_client(therapist)
    response = getattr(client, method)(
        detail(signed), slr_payload(patient), format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "conflict"
    signed.refresh_from_db()
    assert (signed.status, signed.version, signed.results.count()) == ("signed", 2, 2)


def test_the_owner_signs_a_draft(therapist, draft):
    response = api_client(therapist).post(f"{detail(draft)}sign/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "signed"
    assert body["signed_at"]
    assert body["signed_by"]["id"] == str(therapist.pk)


def test_an_admin_signs_a_colleagues_draft(clinic_admin, draft):
    assert api_client(clinic_admin).post(f"{detail(draft)}sign/").status_code == 200


def test_another_therapist_of_the_clinic_cannot_sign(clinic, draft):
    colleague = member(clinic, Membership.Role.THERAPIST, username="colleague")
    assert api_client(colleague).post(f"{detail(draft)}sign/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_viewer_cannot_sign(viewer, draft):
    assert api_client(viewer).post(f"{detail(draft)}sign/").status_code == 403


def test_signing_twice_answers_409(therapist, signed):
    assert api_client(therapist).post(f"{detail(signed)}sign/").status_code == 409


def test_an_addendum_is_added_to_a_signed_assessment(therapist, signed):
    client = api_client(therapist)
    response = client.post(f"{detail(signed)}addenda/", {"text": "Patient reports relief."}, format="json")
    assert response.status_code == 201
    assert response.json()["author"]["id"] == str(therapist.pk)
    listed = client.get(f"{detail(signed)}addenda/").json()
    assert [addendum["text"] for addendum in listed] == ["Patient reports relief."]


def test_the_browsable_api_shows_an_addendum_just_added(therapist, signed):
    client = api_client(therapist)
    response = client.post(
        f"{detail(signed)}addenda.api/", {"text": "Patient reports relief."}, format="json"
    )
    assert response.status_code == 201
    assert "Patient reports relief." in response.content.decode()


def test_a_head_request_to_the_addenda_writes_nothing(therapist, signed):
    response = api_client(therapist).generic(
        "HEAD", f"{detail(signed)}addenda/", '{"text": "Sent with HEAD"}', content_type="application/json"
    )
    assert response.status_code == 200
    assert not Addendum.objects.exists()


def test_an_addendum_to_a_draft_is_refused(therapist, draft):
    response = api_client(therapist).post(f"{detail(draft)}addenda/", {"text": "Too early"}, format="json")
    assert response.status_code == 400
    assert not Addendum.objects.exists()


def test_a_viewer_cannot_add_an_addendum(viewer, signed):
    response = api_client(viewer).post(f"{detail(signed)}addenda/", {"text": "No"}, format="json")
    assert response.status_code == 403
    assert not Addendum.objects.exists()


def test_a_draft_can_be_discarded(therapist, draft):
    assert api_client(therapist).delete(detail(draft)).status_code == 204
    assert not Assessment.objects.exists()


def test_each_write_and_read_leaves_one_audit_event(therapist, patient):
    client = api_client(therapist)
    assessment_id = client.post(URL, slr_payload(patient), format="json").json()["id"]
    url = f"{URL}{assessment_id}/"
    client.get(url)
    client.get(URL)
    client.patch(url, {"notes": "Seen again"}, format="json", HTTP_IF_MATCH='"1"')
    client.post(f"{url}sign/")
    client.post(f"{url}addenda/", {"text": "Later note"}, format="json")
    assert audit_actions() == ["create", "view", "list", "update", "sign", "addendum"]
    listed = AuditEvent.objects.get(action="list")
    assert listed.detail["ids"] == [assessment_id]
    assert AuditEvent.objects.filter(patient=patient).count() == 5
