"""
Incremental sync for integrators: ``GET /api/v1/<records>/changes/?updated_since=...``
pages through the records changed since a moment, oldest change first.

The pages are keyset-paginated on ``(updated_at, id)``: each cursor holds the last
row's position, so page 1,000 costs what page 1 costs (an index range scan on
``(clinic, updated_at)``), and rows sharing an ``updated_at`` are neither skipped nor
repeated. A record changed while a client pages moves to the end, where the client
meets it again.
"""

import datetime
import uuid

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_standardized_errors.openapi import AutoSchema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.response import Response

from .datetimes import IsoDateTimeFilter


class UpdatedSinceFilter(django_filters.FilterSet):
    """The one filter of a changes list, for any model with ``updated_at``."""

    updated_since = IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=(
            "Only records changed at or after this moment (ISO 8601, e.g. "
            "2026-01-31T09:00:00Z). Leave it out for every record."
        ),
    )


class ChangesPagination(CursorPagination):
    """Forward-only keyset pagination on ``(updated_at, id)``.

    DRF's own ``CursorPagination`` keeps only the first ordering field in its
    cursor and counts an offset through rows sharing it, which grows without
    bound when a bulk change stamps thousands of rows alike; this cursor holds both
    fields, so every page is one range scan."""

    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        after = self.decode_position(request)
        if after is not None:
            updated_at, pk = after
            queryset = queryset.filter(updated_at__gte=updated_at).filter(
                Q(updated_at__gt=updated_at) | Q(pk__gt=pk)
            )
        rows = list(queryset.order_by(*self.ordering)[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        return self.page

    def decode_position(self, request):
        cursor = self.decode_cursor(request)
        if cursor is None:
            return None
        try:
            updated_at, pk = cursor.position.split(" ")
            return datetime.datetime.fromisoformat(updated_at), uuid.UUID(pk)
        except (AttributeError, ValueError) as error:
            raise NotFound(self.invalid_cursor_message) from error

    def get_next_link(self):
        if not self.has_next:
            return None
        last = self.page[-1]
        position = f"{last.updated_at.isoformat()} {last.pk}"
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=position))

    def get_previous_link(self):
        return None

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page; null on the last one.",
                },
                "results": schema,
            },
        }


class ChangesSchema(AutoSchema):
    """The changes list is a list (wrapped in its own page shape, named apart from
    the numbered pages of the plain list)."""

    def _is_list_view(self, serializer=None):
        return True

    def get_paginated_name(self, serializer_name):
        return f"{serializer_name}Changes"


def changes_action(viewset):
    """Give a viewset ``GET .../changes/``: its own records (the same queryset,
    serializer and audited list), changed since ``updated_since``, oldest change
    first, keyset-paginated."""

    def changes(self, request, format=None):
        return self.list(request)

    model_name = viewset.serializer_class.Meta.model._meta.verbose_name_plural
    changes.__doc__ = (
        f"The {model_name} changed since `updated_since` (created, edited, or changed in "
        "state), oldest change first, each once, keyset-paginated: follow `next` until it "
        "is null. Next time, pass the last `updated_at` received as `updated_since` "
        "(records changed at that very moment come again; write them idempotently)."
    )
    changes = action(
        detail=False,
        methods=["get"],
        pagination_class=ChangesPagination,
        filter_backends=[DjangoFilterBackend],
        filterset_class=UpdatedSinceFilter,
        schema=ChangesSchema,
    )(changes)
    viewset.changes = changes
    return viewset
