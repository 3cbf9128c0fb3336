"""The integrator's walk from DESIGN.md, by token only: a patient, an SLR and a
slump on both sides with their findings, signing, an addendum, a plan, its
handout, and the progress series."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from clinic.models import AuditEvent

from ..api import plan_payload, slr_payload
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def slump(side, onset, differentiation, reproduced):
    return {
        "test": "SLUMP", "side": side, "range_at_onset_deg": onset, "differentiation": differentiation,
        "findings": [
            {"step": "knee-extension", "symptoms_reproduced": reproduced, "symptom_kinds": ["pain"],
             "location": "back of thigh", "intensity": 5},
            {"step": "release-neck-flexion", "symptoms_reproduced": "partial", "intensity": 2},
        ],
    }  # fmt: skip


def test_an_integrator_records_signs_plans_and_reads_progress(therapist):
    cache.clear()
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "thera", "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    patient = client.post(
        "/api/v1/patients/",
        {"chart_number": "A-1001", "given_name": "Ada", "family_name": "Byron", "date_of_birth": "1985-03-02",
         "sex": "female", "phone": "+1 555 0100", "email": "ada@example.org", "preferred_language": "en"},
        format="json",
    ).json()  # fmt: skip

    payload = slr_payload(patient["id"])
    payload["results"] += [slump("left", 20, "decreased", "full"), slump("right", 0, "unchanged", "none")]
    created = client.post("/api/v1/assessments/", payload, format="json")
    assert created.status_code == 201, created.json()
    assessment = created.json()
    readings = {(r["test"], r["side"]): r["final_interpretation"] for r in assessment["results"]}
    assert readings == {
        ("SLR", "left"): "positive", ("SLR", "right"): "negative",
        ("SLUMP", "left"): "positive", ("SLUMP", "right"): "inconclusive",
    }  # fmt: skip

    url = f"/api/v1/assessments/{assessment['id']}/"
    signed = client.post(f"{url}sign/")
    assert signed.json()["status"] == "signed"
    assert (
        client.patch(url, {"notes": "Later"}, format="json", HTTP_IF_MATCH=signed["ETag"]).status_code == 409
    )
    addendum = client.post(f"{url}addenda/", {"text": "Patient reports easier sitting."}, format="json")
    assert addendum.status_code == 201

    plan = client.post("/api/v1/plans/", plan_payload(patient["id"], assessment["id"]), format="json")
    assert plan.status_code == 201, plan.json()
    handout = client.get(f"/api/v1/plans/{plan.json()['id']}/handout.pdf?paper=letter")
    assert handout["Content-Type"] == "application/pdf"
    assert handout.content.startswith(b"%PDF")

    progress = client.get(f"/api/v1/patients/{patient['id']}/progress/?test=SLR").json()
    assert [(s["test"], s["side"]) for s in progress["series"]] == [("SLR", "left"), ("SLR", "right")]
    left = progress["series"][0]["points"][0]
    assert (left["assessment"], left["range_at_onset_deg"], left["range_at_max_deg"]) == (
        assessment["id"],
        55,
        70,
    )
    assert (left["interpretation"], left["worst_intensity"]) == ("positive", 6)

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["login", "create", "create", "sign", "addendum", "create", "print", "view"]
