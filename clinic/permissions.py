"""
Who may write what over the API, by role in the record's clinic.

Reading is open to every member: the querysets (``Model.objects.for_user``) already
hide other clinics' records, so another clinic's record is not found (404) before any
of these checks runs. That is why object-level writes are checked here, after the
lookup, and only creations (which have no object yet) are checked up front.
"""

from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Clinic, Membership


def clinic_id_of(obj):
    """The clinic whose roles govern ``obj``. A part reached through its record (an
    addendum, shown by the browsable API after it is added) has none of its own, and
    no role writes it directly."""
    return obj.pk if isinstance(obj, Clinic) else getattr(obj, "clinic_id", None)


class RolePermission(BasePermission):
    """Writes need ``roles`` in the record's clinic (for a creation: in one of the
    caller's clinics; the view checks the clinic the new record lands in)."""

    roles = ()
    message = "Your role in this clinic does not allow this change."

    def has_role(self, user, clinic_id):
        return user.role_in(clinic_id) in self.roles

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.detail:
            return True
        return any(self.has_role(request.user, clinic_id) for clinic_id in request.user.clinic_ids())

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        clinic_id = clinic_id_of(obj)
        return clinic_id is not None and self.has_role(request.user, clinic_id)


class CanWriteClinical(RolePermission):
    """Therapists and admins write patients, assessments, plans; viewers read."""

    roles = (Membership.Role.THERAPIST, Membership.Role.ADMIN)


class IsClinicAdmin(RolePermission):
    """Admins change their clinic and its own catalogue (never the standard one)."""

    roles = (Membership.Role.ADMIN,)
    message = "Only an admin of this clinic may change it."


def clinic_for_new_record(request, permission_class):
    """The clinic a new patient or catalogue entry belongs to: the caller's one clinic
    where their role allows it, or, for members of several, the one named by
    ``?clinic=<slug>``."""
    permission = permission_class()
    clinics = [
        clinic
        for clinic in Clinic.objects.for_user(request.user)
        if permission.has_role(request.user, clinic.pk)
    ]
    if not clinics:
        raise PermissionDenied(permission.message)
    slug = request.query_params.get("clinic")
    if slug:
        for clinic in clinics:
            if clinic.slug == slug:
                return clinic
        raise ValidationError({"clinic": [f'You cannot add records to a clinic "{slug}".']})
    if len(clinics) > 1:
        raise ValidationError({"clinic": ["You work in several clinics: name one with ?clinic=<slug>."]})
    return clinics[0]
