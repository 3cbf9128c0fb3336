"""Helpers for the REST API tests: clients signed in with a token, and the payloads
of DESIGN.md."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic.models import AuditEvent


def api_client(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def slr_payload(patient):
    """DESIGN.md's SLR on both sides; ``patient`` is a Patient or its id."""
    return {
        "patient": str(getattr(patient, "pk", patient)),
        "performed_at": "2026-11-24T10:30:00Z",
        "complaint": "Pulling behind the left thigh after sitting",
        "results": [
            {
                "test": "SLR", "side": "left", "range_at_onset_deg": 55, "range_at_max_deg": 70,
                "differentiation": "increased", "notes": "",
                "findings": [
                    {"step": "hip-flexion", "symptoms_reproduced": "partial",
                     "symptom_kinds": ["stretch"], "location": "back of thigh", "intensity": 3},
                    {"step": "ankle-dorsiflexion", "symptoms_reproduced": "full",
                     "symptom_kinds": ["pain", "pins-and-needles"], "location": "back of thigh",
                     "intensity": 6},
                ],
            },
            {
                "test": "SLR", "side": "right", "range_at_onset_deg": 80, "differentiation": "unchanged",
                "findings": [{"step": "hip-flexion", "symptoms_reproduced": "none"}],
            },
        ],
    }  # fmt: skip


def plan_payload(patient, assessment_id=None):
    return {
        "patient": str(getattr(patient, "pk", patient)),
        "assessment": assessment_id,
        "goals": "Sit through a work meeting",
        "start_date": "2026-11-24",
        "review_date": "2026-12-08",
        "items": [
            {
                "exercise": "active-hamstring-mobilization",
                "sets": 1,
                "reps": 10,
                "hold_seconds": 0,
                "times_per_day": 2,
                "days_per_week": 7,
                "side": "both",
                "cues": "Keep the elbows on the thighs",
            }
        ],
    }


def error_attrs(response):
    return {error["attr"] for error in response.json()["errors"]}


def audit_actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
