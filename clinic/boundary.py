"""
The request boundary: input a database cannot store, or a parser should not be
asked to walk, is refused once, here, before any view, form or serializer sees it.

Every text that may reach the database from a request is checked the same way: the
path, the query string, form fields (URL-encoded and multipart), every string and
key of a JSON body (any ``*json`` media type, FHIR's included) and the
``User-Agent`` the audit trail keeps. PostgreSQL cannot store a NUL character in
text, and no UTF-8 text holds a lone surrogate (JSON's ``"\\ud800"`` escapes make
one); either answers 400. A JSON body nested deeper than ``GLIDE_MAX_JSON_DEPTH``
answers 400 before any parser recurses into it. An API request larger than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413 whatever its media type (multipart too).

The answers are in the route's format (``clinic.errors``): the API's error shape,
with the field's name in ``attr``, or a page.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError

from . import errors

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NUL_DETAIL = "Null characters are not allowed."
SURROGATE_DETAIL = "Surrogate characters are not allowed."
# The ``attr`` of a refusal that is about the request as a whole (its path, its
# nesting), as DRF names a serializer's errors that belong to no one field.
WHOLE_REQUEST = "non_field_errors"
BOUNDARY_CODES = ("null_characters_not_allowed", "surrogate_characters_not_allowed")


class BadInput(Exception):
    def __init__(self, code, detail, attr=None, status=400):
        super().__init__(detail)
        self.code, self.detail, self.attr, self.status = code, detail, attr, status


def check_text(text, attr):
    """Refuse ``text`` when PostgreSQL could not store it."""
    match = UNSTORABLE.search(text)
    if match is None:
        return
    if match.group() == "\x00":
        raise BadInput("null_characters_not_allowed", NUL_DETAIL, attr)
    raise BadInput("surrogate_characters_not_allowed", SURROGATE_DETAIL, attr)


def check_json(document, max_depth):
    """Walk a parsed JSON document without recursion: every key and string is
    checked, and the depth is bounded. ``attr`` is the dotted path of the value."""
    pending = [(document, "", 1)]
    while pending:
        value, attr, depth = pending.pop()
        if isinstance(value, str):
            check_text(value, attr or WHOLE_REQUEST)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            raise BadInput(
                "too_deep",
                f"The JSON body is nested more than {max_depth} levels deep.",
                attr or WHOLE_REQUEST,
            )
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            name = f"{attr}.{key}" if attr else str(key)
            if isinstance(key, str):
                check_text(key, name)
            pending.append((item, name, depth + 1))


JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(body, max_depth):
    """Whether the raw JSON ``body`` opens more than ``max_depth`` brackets at once,
    found without parsing (Python's parser recurses, and would run out of stack on a
    body of ten thousand ``[``). Brackets inside strings do not count."""
    depth = 0
    for bracket in JSON_BRACKET.findall(JSON_STRING.sub("", body)):
        depth += 1 if bracket in "[{" else -1
        if depth > max_depth:
            return True
    return False


def is_json(content_type):
    media_type = content_type.split(";")[0].strip().lower()
    return media_type.endswith("/json") or media_type.endswith("+json")


class BadInputMiddleware:
    """Refuses, before the session is even loaded, the requests described above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self.check(request)
        except BadInput as refusal:
            return errors.answer(request, refusal.status, refusal.code, refusal.detail, refusal.attr)
        return self.get_response(request)

    def check(self, request):
        check_text(request.path, WHOLE_REQUEST)
        check_text(request.META.get("HTTP_USER_AGENT", ""), WHOLE_REQUEST)
        for name, values in request.GET.lists():
            check_text(name, name)
            for value in values:
                check_text(value, name)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        self.check_size(request)
        content_type = request.META.get("CONTENT_TYPE", "")
        if is_json(content_type):
            self.check_json_body(request)
        elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            self.check_form(request)

    def check_size(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit and errors.is_api_path(request.path):
            raise BadInput("request_too_large", f"The request body is larger than {limit} bytes.", status=413)

    def check_json_body(self, request):
        try:
            body = request.body.decode(request.encoding or "utf-8")
        except RequestDataTooBig as exc:
            raise BadInput("request_too_large", str(exc), status=413) from exc
        except UnicodeDecodeError:
            return  # the parser answers its own parse error
        max_depth = settings.GLIDE_MAX_JSON_DEPTH
        if json_depth_exceeds(body, max_depth):
            raise BadInput(
                "too_deep", f"The JSON body is nested more than {max_depth} levels deep.", WHOLE_REQUEST
            )
        try:
            document = json.loads(body)
        except ValueError:
            return  # the parser answers its own parse error
        check_json(document, max_depth)

    def check_form(self, request):
        try:
            fields = list(request.POST.lists())
            files = list(request.FILES.items())
        except RequestDataTooBig as exc:
            raise BadInput("request_too_large", str(exc), status=413) from exc
        except (SuspiciousOperation, MultiPartParserError) as exc:
            raise BadInput("parse_error", "The form body could not be read.") from exc
        for name, values in fields:
            check_text(name, name)
            for value in values:
                check_text(value, name)
        for name, upload in files:
            check_text(upload.name or "", name)
