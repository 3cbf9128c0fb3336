"""
The read-only FHIR R4 server under ``/fhir/``.

* ``GET /fhir/metadata``: the CapabilityStatement, built from the resource types
  the server actually serves (``interop.resources.REGISTRY``) and their parameters.
* ``GET /fhir/<Type>/<id>``: a read, scoped to the caller's clinics; anything else
  is a 404 OperationOutcome.
* ``GET /fhir/<Type>?...``: a search, answered as a ``searchset`` Bundle with
  ``total`` and ``self``/``first``/``previous``/``next``/``last`` links; ``_count``
  (default 25, at most 100) and ``_page`` (from 1) page it. An unknown parameter or a
  value that cannot be read is a 400, not a silently wider search.
* ``GET /fhir/Patient/<id>/$everything``: the patient's whole record, as the API's
  patient Bundle holds it, as a ``searchset`` Bundle.
* ``GET /fhir/CodeSystem/<name>``, ``/fhir/StructureDefinition/<name>``: Glide's own
  codes and extensions, at their canonical URLs; ``/fhir/clinics/<slug>/CodeSystem/<name>``
  a clinic's own tests, steps and exercises, for the clinic's members.

Authentication is the API's (``Authorization: Token <key>``, or the session). Every
read leaves an audit event: ``view`` for a read (naming the patient whose record it
is), ``list`` with the ids for a search page, ``export`` for ``$everything``.
"""

import base64
import uuid
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from assessments.models import HandoutPrint
from clinic import audit
from clinic.models import AuditEvent, Clinic, Patient, clinics_of

from . import conformance, fhir, records
from .http import FHIRView
from .resources import REGISTRY
from .search import SearchError

DEFAULT_COUNT = 25
MAX_COUNT = 100
# Parameters every search takes besides the type's own.
RESULT_PARAMETERS = ("_count", "_page", "_format")

FHIR_RESPONSES = {
    200: OpenApiTypes.OBJECT,
    400: OpenApiTypes.OBJECT,
    401: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    503: OpenApiTypes.OBJECT,
}
FHIR_DESCRIPTION = (
    "Answers application/fhir+json. Every error is a FHIR OperationOutcome: 400 for a search it cannot "
    "read, 401 without credentials, 404 for an unknown address or another clinic's resource, 503 while the "
    "database is unavailable."
)


def fhir_get(operation_id, description, *, parameters=None, responses=FHIR_RESPONSES):
    """The schema of a FHIR view's GET: each view names its operation and what it
    answers; the responses, the tag and the errors are the same for all."""
    return extend_schema_view(
        get=extend_schema(
            operation_id=operation_id,
            responses=responses,
            tags=["fhir"],
            parameters=parameters,
            description=f"{description} {FHIR_DESCRIPTION}",
        )
    )


CANONICAL_URL = [OpenApiParameter("url", str, description="The canonical URL.")]


def server_base(request):
    return request.build_absolute_uri("/fhir").rstrip("/")


def entry(base, resource, mode="match"):
    return {
        "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def searchset(base, entries, total, links):
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": fhir.instant(timezone.now())},
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": entries,
    }


class MapperCache(dict):
    """One Mapper per clinic, references written ``Type/id`` as on a FHIR server."""

    def __init__(self, site_url):
        super().__init__()
        self.site_url = site_url

    def __missing__(self, clinic):
        mapper = fhir.Mapper(clinic=clinic, reference=fhir.relative_reference, site_url=self.site_url)
        self[clinic] = mapper
        return mapper


def resource_type_or_404(name):
    resource_type = REGISTRY.get(name)
    if resource_type is None:
        raise NotFound(f"This server has no resource type {name!r}.")
    return resource_type


def mapper_for(resource_type, obj, mappers, user):
    return mappers[resource_type.clinic_of(obj)]


def parse_id(pk):
    try:
        return uuid.UUID(pk)
    except ValueError:
        return None


@fhir_get("fhir_metadata", "The server's CapabilityStatement.")
class MetadataView(FHIRView):
    """``GET /fhir/metadata``: open to anyone, as FHIR asks, and names no record."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        return Response(capability_statement(request))


def capability_statement(request):
    resources = []
    for name, resource_type in sorted(REGISTRY.items()):
        entry_ = {
            "type": name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": param.name, "type": param.type, "documentation": param.documentation}
                for param in resource_type.params
            ],
        }
        if name == "Patient":
            entry_["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                }
            ]
        resources.append(entry_)
    resources.append(
        {
            "type": "Binary",
            "interaction": [{"code": "read"}],
            "documentation": "The PDF of a printed handout, exactly as printed (the attachment URL).",
        }
    )
    for name, names in (
        ("CodeSystem", conformance.code_system_names()),
        ("StructureDefinition", conformance.structure_definition_names()),
    ):
        resources.append(
            {
                "type": name,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": [{"name": "url", "type": "uri", "documentation": "The canonical URL."}],
                "documentation": f"Glide's own: {', '.join(names)}.",
            }
        )
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": fhir.instant(timezone.now()),
        "publisher": conformance.PUBLISHER,
        "kind": "instance",
        "software": {"name": "Glide", "version": conformance.CONTENT_VERSION},
        "implementation": {"description": "Glide's read-only FHIR R4 server", "url": server_base(request)},
        "fhirVersion": conformance.FHIR_VERSION,
        "format": [fhir.FHIR_JSON, "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Read-only. Every resource is scoped to the clinics of the authenticated user; another "
                    "clinic's resource is not found (404). Search results page with _count (at most "
                    f"{MAX_COUNT}) and _page; an unknown search parameter is refused (400)."
                ),
                "security": {
                    "cors": False,
                    "description": (
                        "Send 'Authorization: Token <key>' with a token from /api/v1/auth/token/ (it "
                        "expires), or use a signed-in session. Every read is recorded in the audit trail."
                    ),
                },
                "resource": resources,
            }
        ],
    }


def check_query(request, allowed):
    for name, values in request.query_params.lists():
        if any("\x00" in value for value in values) or "\x00" in name:
            raise ParseError("Search parameters may not contain NUL characters.")
        if name not in allowed and name not in RESULT_PARAMETERS:
            raise ParseError(
                f"Unknown search parameter {name!r}; this server supports {', '.join(sorted(allowed))}."
            )


def paging(request):
    def number(name, default, low, high):
        raw = request.query_params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ParseError(f"{name} must be a whole number.") from None
        if not low <= value <= high:
            raise ParseError(f"{name} must be from {low} to {high}.")
        return value

    return number("_count", DEFAULT_COUNT, 0, MAX_COUNT), number("_page", 1, 1, 10**6)


def page_links(request, count, page, total):
    base = server_base(request) + request.path.removeprefix("/fhir")
    kept = [
        (name, value) for name, values in request.query_params.lists() for value in values if name != "_page"
    ]
    last = max(1, -(-total // count)) if count else 1

    def link(relation, number):
        return {"relation": relation, "url": f"{base}?{urlencode([*kept, ('_page', number)])}"}

    links = [link("self", page), link("first", 1)]
    if page > 1:
        links.append(link("previous", min(page - 1, last)))
    if page < last:
        links.append(link("next", page + 1))
    links.append(link("last", last))
    return links


def audit_read(request, resource_type, obj):
    """A read names the Glide record behind the resource, its clinic and the patient
    whose record it is part of."""
    audit.record(
        request,
        AuditEvent.Action.VIEW,
        obj,
        clinic=resource_type.clinic_of(obj),
        patient=resource_type.patient_of(obj),
        status_code=status.HTTP_200_OK,
        format="fhir",
        resource_type=resource_type.name,
    )


class ReadView(FHIRView):
    resource_type_name = None

    def get(self, request, pk):
        resource_type = resource_type_or_404(self.resource_type_name)
        obj = resource_type.get(request.user, pk)
        if obj is None:
            raise NotFound(f"No {resource_type.name} with this id is available to you.")
        mappers = MapperCache(site_url=request.build_absolute_uri("/").rstrip("/"))
        resource = resource_type.to_resource(mapper_for(resource_type, obj, mappers, request.user), obj)
        audit_read(request, resource_type, obj)
        return Response(resource)


class SearchView(FHIRView):
    resource_type_name = None

    def get(self, request):
        resource_type = resource_type_or_404(self.resource_type_name)
        params = resource_type.search_params()
        check_query(request, params)
        count, page = paging(request)
        try:
            total, found = resource_type.search(request.user, request.query_params, (page - 1) * count, count)
        except SearchError as error:
            raise ParseError(str(error)) from None
        mappers = MapperCache(site_url=request.build_absolute_uri("/").rstrip("/"))
        base = server_base(request)
        entries = [
            entry(base, resource_type.to_resource(mapper_for(resource_type, obj, mappers, request.user), obj))
            for obj in found
        ]
        patients = {resource_type.patient_of(obj) for obj in found} - {None}
        clinics = {resource_type.clinic_of(obj) for obj in found} - {None}
        audit.record(
            request,
            AuditEvent.Action.LIST,
            clinic=clinics.pop() if len(clinics) == 1 else None,
            patient=patients.pop() if len(patients) == 1 else None,
            object_type=resource_type.name,
            ids=[str(obj.pk) for obj in found],
            query=request.query_params.urlencode()[:300],
            status_code=status.HTTP_200_OK,
            format="fhir",
        )
        return Response(searchset(base, entries, total, page_links(request, count, page, total)))


@fhir_get("fhir_patient_everything", "The patient's whole record as a searchset Bundle.")
class PatientEverythingView(FHIRView):
    def get(self, request, pk):
        patient = records.with_records(Patient.objects.for_user(request.user)).filter(pk=pk).first()
        if patient is None:
            raise NotFound("No Patient with this id is available to you.")
        mapper = fhir.Mapper(
            clinic=patient.clinic,
            reference=fhir.relative_reference,
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
        resources = records.patient_resources(mapper, patient)
        base = server_base(request)
        entries = [
            entry(base, resource, "match" if index == 0 else "include")
            for index, resource in enumerate(resources)
        ]
        audit.record(
            request,
            AuditEvent.Action.EXPORT,
            patient,
            status_code=status.HTTP_200_OK,
            format="fhir-everything",
            entries=len(entries),
        )
        link = [{"relation": "self", "url": f"{base}/Patient/{patient.pk}/$everything"}]
        return Response(searchset(base, entries, len(entries), link))


class ConformanceView(FHIRView):
    """Glide's CodeSystems and StructureDefinitions: public, like the metadata."""

    permission_classes = [AllowAny]
    authentication_classes = []
    resource_type_name = None
    names = None
    build = None

    def lookup(self, name):
        return type(self).build(name) if name in type(self).names() else None


class ConformanceReadView(ConformanceView):
    def get(self, request, name):
        resource = self.lookup(name)
        if resource is None:
            raise NotFound(f"Glide publishes no {self.resource_type_name} {name!r}.")
        return Response(resource)


class ConformanceSearchView(ConformanceView):
    def get(self, request):
        check_query(request, {"url"})
        count, page = paging(request)
        resources = [self.lookup(name) for name in type(self).names()]
        wanted = request.query_params.getlist("url")
        if wanted:
            resources = [resource for resource in resources if resource["url"] in wanted]
        base = server_base(request)
        shown = resources[(page - 1) * count : page * count]
        return Response(
            searchset(
                base,
                [entry(base, resource) for resource in shown],
                len(resources),
                page_links(request, count, page, len(resources)),
            )
        )


@fhir_get("fhir_codesystem_read", "One of Glide's CodeSystems, by name.")
class CodeSystemRead(ConformanceReadView):
    resource_type_name = "CodeSystem"
    names = staticmethod(conformance.code_system_names)
    build = staticmethod(conformance.code_system_resource)


@fhir_get(
    "fhir_codesystem_search",
    "Glide's CodeSystems; url= finds one by canonical URL.",
    parameters=CANONICAL_URL,
)
class CodeSystemSearch(ConformanceSearchView):
    resource_type_name = "CodeSystem"
    names = staticmethod(conformance.code_system_names)
    build = staticmethod(conformance.code_system_resource)


@fhir_get(
    "fhir_clinic_codesystem_read",
    "The CodeSystem of a clinic's own tests, steps or exercises, at its canonical URL; for the "
    "clinic's members only.",
)
class ClinicCodeSystemRead(FHIRView):
    """A clinic's own catalogue codes, for its members: anyone else finds nothing."""

    def get(self, request, clinic, name):
        clinic = Clinic.objects.filter(slug=clinic, pk__in=clinics_of(request.user)).first()
        resource = conformance.code_system_resource(name, clinic) if clinic else None
        if resource is None:
            raise NotFound(f"No CodeSystem {name!r} for this clinic.")
        return Response(resource)


@fhir_get("fhir_structuredefinition_read", "One of Glide's extension definitions, by name.")
class StructureDefinitionRead(ConformanceReadView):
    resource_type_name = "StructureDefinition"
    names = staticmethod(conformance.structure_definition_names)
    build = staticmethod(conformance.structure_definition_resource)


@fhir_get(
    "fhir_structuredefinition_search",
    "Glide's extension definitions; url= finds one by canonical URL.",
    parameters=CANONICAL_URL,
)
class StructureDefinitionSearch(ConformanceSearchView):
    resource_type_name = "StructureDefinition"
    names = staticmethod(conformance.structure_definition_names)
    build = staticmethod(conformance.structure_definition_resource)


def read_view(name):
    """The read view of one resource type, described in the schema under its own name."""
    view = type(f"{name}Read", (ReadView,), {"resource_type_name": name, "__module__": __name__})
    return fhir_get(f"fhir_{name.lower()}_read", f"Read one {name} by id.")(view).as_view()


def search_view(name):
    """The search view of one resource type, with its parameters in the schema."""
    view = type(f"{name}Search", (SearchView,), {"resource_type_name": name, "__module__": __name__})
    parameters = [
        OpenApiParameter(param.name, str, description=f"{param.type}: {param.documentation}")
        for param in REGISTRY[name].params
    ]
    parameters += [
        OpenApiParameter(
            "_count", int, description=f"Entries per page (default {DEFAULT_COUNT}, at most {MAX_COUNT})."
        ),
        OpenApiParameter("_page", int, description="The page, from 1."),
    ]
    return fhir_get(
        f"fhir_{name.lower()}_search",
        f"Search {name} resources: a searchset Bundle with total and paging links.",
        parameters=parameters,
    )(view).as_view()


@fhir_get(
    "fhir_binary_read",
    "A printed handout's PDF, exactly as it was printed (a DocumentReference's attachment URL). Answers "
    "the PDF itself, or a FHIR Binary resource when asked for application/fhir+json.",
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, fhir.FHIR_JSON): OpenApiTypes.OBJECT,
        **{code: schema for code, schema in FHIR_RESPONSES.items() if code != 200},
    },
)
class BinaryView(FHIRView):
    """``GET /fhir/Binary/<id>``: the kept PDF of a printed handout, scoped to the
    caller's clinics. A read of the patient's record: one ``view`` event."""

    def get(self, request, pk):
        printed = (
            HandoutPrint.objects.filter(clinic_id__in=clinics_of(request.user), pdf__isnull=False)
            .select_related("plan__patient", "clinic")
            .filter(pk=pk)
            .first()
        )
        if printed is None:
            raise NotFound("No Binary with this id is available to you.")
        pdf = bytes(printed.pdf)
        audit.record(
            request,
            AuditEvent.Action.VIEW,
            printed,
            patient=printed.plan.patient,
            status_code=status.HTTP_200_OK,
            format="fhir-binary",
            sha256=printed.sha256,
        )
        if fhir.FHIR_JSON in request.headers.get("Accept", ""):
            return Response(
                {
                    "resourceType": "Binary",
                    "id": str(printed.pk),
                    "contentType": "application/pdf",
                    "data": base64.b64encode(pdf).decode(),
                }
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="handout-{printed.pk}.pdf"'
        return response
