"""Every table exports to CSV and XLSX, and what is read back is what the page shows."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from supervision import pages, selectors
from supervision.selectors import Filters
from supervision.services import summaries_refresh
from tests.supervision.world import build

pytestmark = pytest.mark.django_db


def cell(value):
    """Numbers compare as numbers (a spreadsheet keeps 1.0 as 1), the rest as text."""
    if value is None:
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def test_every_table_round_trips_through_csv_and_xlsx(client):
    w = build()
    summaries_refresh()
    client.force_login(w.supervisor)
    f = Filters(start=w.friday - timedelta(days=1), end=timezone.localdate())
    data = pages.build(f)
    query = f.as_query()
    for table in pages.TABLES:
        expected = pages.dataset(data, table)
        rows = [[cell(v) for v in row] for row in [expected.headers] + list(expected)]
        assert len(rows) > 1, table
        response = client.get(f"/supervision/export/{table}.csv", query)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        assert [[cell(v) for v in row] for row in csv.reader(io.StringIO(text))] == rows, table
        response = client.get(f"/supervision/export/{table}.xlsx", query)
        assert "attachment" in response["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [[cell(v) for v in row] for row in sheet.iter_rows(values_only=True)] == rows, table
    # the overview's numbers are the dashboard's
    response = client.get("/supervision/export/overview.csv", query)
    exported = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert exported[1][1:] == ["8", "", ""]  # received
    assert exported[3][1:] == ["3", "8", "0.375"]  # issued on the spot, of the received
    assert {row[0]: row[1] for row in exported}["核查合格"] == "1"


def test_a_drill_down_exports_exactly_its_records(client):
    w = build()
    summaries_refresh()
    client.force_login(w.supervisor)
    f = Filters(start=w.friday - timedelta(days=1), end=timezone.localdate())
    for name, key in (("on_the_spot", ""), ("mode", "standard"), ("credit_checks", ""), ("obligations_due", ""),
                      ("violations", ""), ("restrictions_active", ""), ("key_targets", ""), ("objections", "")):
        drill = selectors.records(name, f, key)
        query = {**f.as_query(), **({"key": key} if key else {})}
        response = client.get(f"/supervision/records/{name}/export.csv", query)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
        assert len(rows) == drill.rows.count(), name
        response = client.get(f"/supervision/records/{name}/export.xlsx", query)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row - 1 == drill.rows.count(), name
    exported = {row[0] for row in csv.reader(io.StringIO(client.get(
        "/supervision/records/on_the_spot/export.csv", f.as_query()).content.decode("utf-8-sig")))}
    assert exported - {"办件", "application"} == {f"#{w.apps[n].pk}" for n in (1, 2, 3)}


def test_a_drill_down_names_its_filters_as_users_read_them(client):
    w = build()
    summaries_refresh()
    client.force_login(w.supervisor)
    f = Filters(start=w.friday - timedelta(days=1), end=timezone.localdate(), channel="counter")
    page = client.get("/supervision/records/received/", f.as_query()).content.decode()
    assert " · 窗口办理</p>" in page and " · counter" not in page  # the channel's name, not its code
    assert "导出：" in page and "导出:" not in page
