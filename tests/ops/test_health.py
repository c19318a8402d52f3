"""/healthz, /readyz and `manage.py doctor`: each check passes on a sound installation and fails, with advice,
when its dependency is missing."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.db.migrations.recorder import MigrationRecorder

from approvals.models import CalendarYear
from approvals.services import calendar_covers
from documents import rendering
from ops import checks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_remembered():
    """Each test starts as a fresh process does (readiness remembers what cannot turn bad while it runs)."""
    checks._remembered.clear()
    yield
    checks._remembered.clear()


@pytest.fixture
def calendar_covered(db):
    """chinese-calendar knows the years it shipped with; the year after is declared as an administrator does."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1, today.year + 2):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "国务院办公厅关于放假安排的通知"})


@pytest.fixture
def no_font(monkeypatch):
    rendering.cjk_font_path.cache_clear()
    monkeypatch.setattr(rendering.Path, "is_file", lambda self: False)
    yield
    monkeypatch.undo()
    rendering.cjk_font_path.cache_clear()


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


def test_readyz_passes_when_every_check_passes(client, calendar_covered, django_assert_max_num_queries):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "broker", "cjk_font", "calendar"}
    assert all(check["ok"] for check in body["checks"].values())
    with django_assert_max_num_queries(1):  # a probe every few seconds: migrations and calendar remembered
        assert client.get("/readyz").status_code == 200


@pytest.mark.calendar_as_shipped
def test_readyz_fails_when_the_calendar_does_not_cover_the_next_year(client):
    CalendarYear.objects.all().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    calendar = response.json()["checks"]["calendar"]
    uncovered = str(min(year for year in range(timezone.localdate().year, 2200)
                        if not calendar_covers(date(year, 12, 31))))
    assert calendar["ok"] is False and uncovered in calendar["detail"] and uncovered in calendar["advice"]


def test_readyz_fails_without_a_chinese_font(client, calendar_covered, no_font):
    response = client.get("/readyz")
    assert response.status_code == 503
    font = response.json()["checks"]["cjk_font"]
    assert font["ok"] is False and "fonts-wqy-microhei" in font["advice"]


def test_readyz_fails_with_a_migration_not_applied(client, calendar_covered):
    MigrationRecorder.Migration.objects.filter(app="ops", name="0001_initial").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "ops.0001_initial" in response.json()["checks"]["migrations"]["detail"]


def test_readyz_fails_when_the_broker_is_unreachable(client, calendar_covered, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    broker = response.json()["checks"]["broker"]
    assert broker["ok"] is False and "CELERY_BROKER_URL" in broker["advice"]


def doctor(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("doctor", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def test_doctor_reports_in_chinese_with_what_to_do(calendar_covered, no_font):
    code, out = doctor()
    assert code == 1
    assert "就绪检查" in out and "[失败] cjk_font" in out and "处理办法" in out and "fonts-wqy-microhei" in out
    assert "[正常] database" in out and "未就绪" in out
    assert "DJANGO_SECRET_KEY 仍是内置默认值。" in out and "; " not in out  # Chinese punctuation


def test_doctor_in_english_on_a_ready_installation(calendar_covered):
    code, out = doctor("--lang", "en")
    assert code == 0, out
    assert "[OK] calendar" in out and "[OK] migrations" in out and out.rstrip().endswith("Ready.")
    assert "[WARN] settings" in out  # the test settings keep the embedded secret key
    assert "DJANGO_SECRET_KEY is the embedded default." in out
