"""
Writing the audit trail.

``record()`` is called by views, services and authentication signals. Glide does not
wrap whole requests in a transaction (``ATOMIC_REQUESTS`` is off; multi-row writes
are atomic in ``assessments.services``), so an event written while a request is
refused survives: record denials outside any ``transaction.atomic`` block.
"""

from .models import AuditEvent


def client_ip(request):
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _event(request, action, obj=None, *, actor=None, clinic=None, patient=None, status_code=None, **detail):
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if obj is not None:
        clinic = clinic or getattr(obj, "clinic", None)
        if patient is None:
            from .models import Patient

            patient = obj if isinstance(obj, Patient) else getattr(obj, "patient", None)
    return AuditEvent(
        actor=actor,
        actor_username=(actor.get_username() if actor else detail.pop("username", "")),
        clinic=clinic,
        patient=patient,
        action=action,
        object_type=obj._meta.model_name if obj is not None else detail.pop("object_type", ""),
        object_id=str(obj.pk) if obj is not None else detail.pop("object_id", ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:400] if request else ""),
        method=((request.method or "") if request else ""),
        path=(request.path[:400] if request else ""),
        status_code=status_code,
        detail=detail,
    )


def record(request, action, obj=None, **kwargs):
    """Append one event. ``obj`` is the record acted on (its clinic and patient are
    taken from it); extra keyword arguments land in ``detail``."""
    event = _event(request, action, obj, **kwargs)
    event.save()
    return event
