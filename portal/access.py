"""
Opening a plan by its private link, for the patient's page and the patient API alike.

The secret finds the link; the patient's year of birth is the second factor. Wrong
secrets are counted per client address, wrong years per link and per address, in
Django's cache (shared by every process once the cache is Redis or the database), so
that guessing is slow whichever server answers. Every refusal leaves one audit event,
outside any transaction, so it survives the refusal; every access names the link as
its actor.
"""

from django.conf import settings
from django.core.cache import cache

from clinic import audit
from clinic.models import AuditEvent
from clinic.proxies import client_ip

from .models import PatientLink

UNKNOWN = "unknown"
ENDED = "ended"
WRONG_YEAR = "wrong_birth_year"
THROTTLED = "throttled"


class Refused(Exception):
    """The link does not open the plan; ``reason`` says why, ``link`` is the link
    when the secret found one."""

    def __init__(self, reason, link=None, ended=""):
        super().__init__(reason)
        self.reason, self.link, self.ended = reason, link, ended

    @property
    def retry_after(self):
        return settings.GLIDE_PORTAL_FAILURE_WINDOW


def _key(kind, value):
    return f"glide:portal:failures:{kind}:{value}"


def _failures(key):
    return cache.get(key, 0)


def _count_failure(key):
    cache.add(key, 0, timeout=settings.GLIDE_PORTAL_FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.GLIDE_PORTAL_FAILURE_WINDOW)


def _address_key(request):
    return _key("address", client_ip(request) or "unknown")


def is_throttled(request, link=None):
    if _failures(_address_key(request)) >= settings.GLIDE_PORTAL_ADDRESS_FAILURE_LIMIT:
        return True
    return link is not None and _failures(_key("link", link.pk)) >= settings.GLIDE_PORTAL_LINK_FAILURE_LIMIT


def record_access(request, link, action=AuditEvent.Action.VIEW, obj=None, **detail):
    """One audit event of an access through ``link``: the link is the actor."""
    return audit.record(
        request,
        action,
        obj if obj is not None else link.plan,
        actor_description=link.actor_description,
        link=str(link.pk),
        **detail,
    )


def _refuse(request, reason, link=None, ended="", status_code=403):
    if link is None:
        audit.record(
            request,
            AuditEvent.Action.DENIED,
            status_code=status_code,
            object_type=PatientLink._meta.model_name,
            reason=reason,
        )
    else:
        record_access(
            request, link, AuditEvent.Action.DENIED, status_code=status_code, reason=reason, ended=ended
        )
    raise Refused(reason, link, ended)


def open_link(request, secret):
    """The open link that ``secret`` names, with its plan, patient and clinic; else
    ``Refused`` (unknown, ended, or throttled)."""
    if is_throttled(request):
        _refuse(request, THROTTLED, status_code=429)
    link = (
        PatientLink.objects.with_secret(secret or "")
        .select_related("plan__patient", "plan__clinic", "clinic")
        .first()
        if secret and len(secret) <= 100
        else None
    )
    if link is None:
        _count_failure(_address_key(request))
        _refuse(request, UNKNOWN, status_code=404)
    if is_throttled(request, link):
        _refuse(request, THROTTLED, link, status_code=429)
    ended = link.ended_reason()
    if ended:
        _refuse(request, ENDED, link, ended=ended, status_code=404)
    return link


def check_birth_year(request, link, year):
    """Whether ``year`` (text or number) is the patient's year of birth; a wrong one
    counts against the link and the address, and is refused."""
    date_of_birth = link.plan.patient.date_of_birth
    if date_of_birth is not None and str(year).strip() == str(date_of_birth.year):
        return True
    _count_failure(_address_key(request))
    _count_failure(_key("link", link.pk))
    _refuse(request, WRONG_YEAR, link)
