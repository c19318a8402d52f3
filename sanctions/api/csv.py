"""The credit-platform feed as CSV (supervisors): UTF-8 with a BOM so that Excel opens the Chinese, one row per
record after the cursor `after`, only committed records, in id order."""

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer

from approvals.api.schema import ERRORS

from ..models import FeedAction, FeedCategory, FeedRecord
from ..services.feed import feed_committed_up_to
from . import serializers as s
from .views import Api, require_feed_reader

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """csv.writer writes a row into this and gets the line back, for streaming."""

    def write(self, value):
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # a spreadsheet would run a cell starting like a formula (CSV injection): make it text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def header() -> list[str]:
    return [_("id"), _("key"), _("category"), _("action"), _("written at"), _("subject"),
            _("ID card number or credit code"), _("case number"), _("state"), _("starts at"), _("ends at"),
            _("data (JSON)")]


def row(record: FeedRecord) -> list[str]:
    data = record.payload or {}
    subject = data.get("subject") or {}
    return [_cell(v) for v in (
        record.pk, record.key, FeedCategory(record.category).label, FeedAction(record.action).label,
        timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M:%S"), subject.get("name"),
        subject.get("number"), data.get("case"), data.get("state"), _local(data.get("starts_at")),
        _local(data.get("ends_at")), json.dumps(data, ensure_ascii=False, sort_keys=True),
    )]


def feed_csv_lines(after: int, language: str):
    # streamed after the view returned: keep the request's language for the headers and labels
    with translation.override(language):
        writer = csv.writer(_Echo())
        yield BOM + writer.writerow(header())
        top = feed_committed_up_to()
        for record in FeedRecord.objects.filter(pk__gt=after, pk__lte=top).order_by("pk").iterator(chunk_size=500):
            yield writer.writerow(row(record))


class CreditFeedCsvApi(Api):
    renderer_classes = [JSONRenderer]  # errors as JSON; the CSV itself is a plain streaming response

    def perform_content_negotiation(self, request, force=False):
        # Excel and browsers ask for text/csv or */*: never refuse them with 406
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="The feed for the credit platform as CSV (UTF-8 with BOM), records after `after`",
        tags=["sanctions"], parameters=[s.FeedCsvInputSerializer],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per record."),
                   400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request):
        require_feed_reader(request.user)
        query = s.FeedCsvInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = query.validated_data["after"]
        response = StreamingHttpResponse(feed_csv_lines(after, translation.get_language()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="credit-feed-after-{after}.csv"'
        return response
