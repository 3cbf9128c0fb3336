"""The project's URLs plus the throughput benchmark's baselines, served by the same
gunicorn workers through the same middleware as the rest:

- ``/hello/``, a bare view answering "Hello";
- ``/floor/patients/<id>/progress/``, the chart API's floor: a hand-written view that
  runs the statements the chart API must run (the token and its user, the user's
  clinics, the patient inside them, the throttle's count, the progress query, the
  audit event's insert) with raw cursor calls and answers the same JSON. No code that
  does this request's work can be much faster, so the chart API is measured against
  it."""

import json
from itertools import groupby

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.utils import timezone

from assessments.interpretation import effective_interpretation
from clinic.authentication import token_lifetime
from clinic.proxies import client_ip
from clinic.throttling import count_hit

PROGRESS_SQL = """
SELECT t.code, r.side, r.assessment_id, a.performed_at, r.range_at_onset_deg,
       r.range_at_max_deg, r.interpretation, r.interpretation_override, MAX(f.intensity)
FROM assessments_testresult r
JOIN assessments_assessment a ON r.assessment_id = a.id
JOIN assessments_neurotest t ON r.test_id = t.id
LEFT JOIN assessments_stepfinding f ON r.id = f.result_id
WHERE a.patient_id = %s
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 4, 3
"""
AUDIT_SQL = """
INSERT INTO clinic_auditevent (at, actor_id, actor_username, actor_description, clinic_id,
    patient_id, action, object_type, object_id, ip_address, user_agent, method, path, status_code,
    detail)
VALUES (%s, %s, %s, '', %s, %s, 'view', 'patient', %s, %s, %s, %s, %s, NULL, %s)
"""


def hello(request):
    return HttpResponse("Hello")


def _time(value):
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def chart_floor(request, pk):
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.id, u.username, u.is_active, t.created FROM authtoken_token t"
            " JOIN clinic_user u ON u.id = t.user_id WHERE t.key = %s",
            [key],
        )
        row = cursor.fetchone()
        if row is None or not row[2] or row[3] + token_lifetime() <= timezone.now():
            return JsonResponse({"detail": "unauthorized"}, status=401)
        user_id, username = row[0], row[1]
        _hits, _previous_hits, _ends = count_hit(f"throttle_user_{user_id}", 1, timezone.now().timestamp())
        cursor.execute("SELECT clinic_id FROM clinic_membership WHERE user_id = %s", [user_id])
        clinics = [clinic for (clinic,) in cursor.fetchall()]
        cursor.execute(
            "SELECT id, clinic_id FROM clinic_patient WHERE id = %s AND clinic_id = ANY(%s)",
            [pk, clinics],
        )
        patient = cursor.fetchone()
        if patient is None:
            return JsonResponse({"detail": "not found"}, status=404)
        cursor.execute(PROGRESS_SQL, [pk])
        rows = cursor.fetchall()
        series = [
            {
                "test": test,
                "side": side,
                "points": [
                    {
                        "assessment": str(row[2]),
                        "performed_at": _time(row[3]),
                        "range_at_onset_deg": row[4],
                        "range_at_max_deg": row[5],
                        "interpretation": effective_interpretation(row[6], row[7]),
                        "worst_intensity": row[8],
                    }
                    for row in points
                ],
            }
            for (test, side), points in groupby(rows, key=lambda row: (row[0], row[1]))
        ]
        cursor.execute(
            AUDIT_SQL,
            [
                timezone.now(),
                user_id,
                username,
                patient[1],
                pk,
                str(pk),
                client_ip(request),
                request.META.get("HTTP_USER_AGENT", "")[:400],
                request.method,
                request.path[:400],
                json.dumps({"part": "progress", "test": ""}),
            ],
        )
    return JsonResponse({"series": series}, json_dumps_params={"separators": (",", ":")})


urlpatterns = [
    path("hello/", hello),
    path("floor/patients/<uuid:pk>/progress/", chart_floor),
    path("", include("clinic.urls")),
]
