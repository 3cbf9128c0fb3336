"""
The OpenAPI schema tells what the API does, including what happens around a view:

- ``If-Match`` is a parameter of every change to a versioned record (required
  where a change without it answers 428), with the 412 and 428 it can answer;
- every operation may answer 503 (the database is down, ``clinic.errors``), and
  every operation with a body 413 (``clinic.boundary``);
- the codes the request boundary answers (``clinic.boundary``) are listed for every
  query parameter, every body field and the request as a whole.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema

from .api import (
    ErrorResponse412Serializer,
    ErrorResponse413Serializer,
    ErrorResponse428Serializer,
    ErrorResponse503Serializer,
    VersionPreconditionMixin,
)
from .boundary import BOUNDARY_CODES, WHOLE_REQUEST

WRITE_METHODS = ("POST", "PUT", "PATCH")
EXTRA_ERRORS = {
    "412": ErrorResponse412Serializer,
    "413": ErrorResponse413Serializer,
    "428": ErrorResponse428Serializer,
    "503": ErrorResponse503Serializer,
}


class AutoSchema(StandardizedErrorsAutoSchema):
    def _version_action(self):
        """``(checked, required)``: whether this operation reads ``If-Match``."""
        if not isinstance(self.view, VersionPreconditionMixin):
            return False, False
        action = getattr(self.view, "action", None)
        if action in ("update", "partial_update"):
            return True, self.view.if_match_required
        return action in ("destroy", "sign"), False

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        checked, required = self._version_action()
        if checked:
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=required,
                    description='The record\'s ETag as last read, e.g. `"3"`: a change to a record '
                    "that moved on since answers 412"
                    + ("; a change without it answers 428." if required else "."),
                ),
            ]
        return parameters

    def _get_allowed_error_status_codes(self):
        return [*super()._get_allowed_error_status_codes(), *EXTRA_ERRORS]

    def _should_add_error_response(self, responses, status_code):
        if status_code not in EXTRA_ERRORS:
            return super()._should_add_error_response(responses, status_code)
        if status_code in responses:
            return False
        checked, required = self._version_action()
        return {
            "412": checked,
            "413": self.method in WRITE_METHODS,
            "428": required,
            "503": True,
        }[status_code]

    def _get_error_response_serializer(self, status_code):
        return EXTRA_ERRORS.get(status_code) or super()._get_error_response_serializer(status_code)

    def _should_add_validation_error_response(self):
        return True  # the boundary may refuse any request (a NUL in its path)

    def _get_extra_validation_errors(self):
        extra = dict(super()._get_extra_validation_errors())

        def add(name, *codes):
            extra[name] = {*extra.get(name, ()), *codes}

        add(WHOLE_REQUEST, *BOUNDARY_CODES)
        for parameter in self._query_parameters():
            add(parameter, *BOUNDARY_CODES)
        if self.method in WRITE_METHODS:
            add(WHOLE_REQUEST, "too_deep")
            for field in self._determine_fields_with_error_codes():
                add(field.name, *BOUNDARY_CODES)
        return extra

    def _query_parameters(self):
        names = set()
        for parameter in [
            *self._get_filter_parameters(),
            *self._get_pagination_parameters(),
            *self._process_override_parameters().values(),
        ]:
            if isinstance(parameter, dict) and parameter.get("in") == "query":
                names.add(parameter["name"])
        return sorted(names)


BOUNDARY_COMPONENT = {
    "type": "object",
    "description": "Refused at the request boundary: the text at `attr` (a body field's dotted "
    "path, a query parameter, or `non_field_errors` for the request as a whole) holds a "
    "character the database cannot store, or the body is nested too deep.",
    "properties": {
        "attr": {"type": "string"},
        "code": {"enum": [*BOUNDARY_CODES, "too_deep"], "type": "string"},
        "detail": {"type": "string"},
    },
    "required": ["attr", "code", "detail"],
}


def document_boundary_errors(result, generator, request, public):
    """A spectacular post-processing hook. The boundary names the offending text's
    path, which may be a key the client made up: every validation error therefore
    may also be a ``BoundaryErrorComponent``, whatever its ``attr``."""
    schemas = result.get("components", {}).get("schemas", {})
    schemas["BoundaryErrorComponent"] = BOUNDARY_COMPONENT
    boundary = {"$ref": "#/components/schemas/BoundaryErrorComponent"}
    for name in list(schemas):
        errors = (
            schemas[name].get("properties", {}).get("errors") if name.endswith("ValidationError") else None
        )
        if not errors or "items" not in errors:
            continue
        # anyOf, not oneOf: a refusal at a documented field matches both.
        errors["items"] = {"anyOf": [errors["items"], boundary]}
    return result
