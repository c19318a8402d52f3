"""scripts/backup then scripts/restore on PostgreSQL: a populated database and its stored documents come back
whole, checked by verify_documents (which also catches a file damaged after the restore)."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from documents.models import Document, RenderStatus
from tests.approvals.process import applicant, make_matter, matter, staff  # noqa: F401
from tests.documents.test_documents import on_the_spot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def count(database_url: str, table: str) -> int:
    with psycopg.connect(database_url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_backup_and_restore_round_trip(applicant, matter, staff, media, tmp_path,  # noqa: F811
                                       django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore need PostgreSQL: set DATABASE_URL")
    on_the_spot(applicant, staff, django_capture_on_commit_callbacks)
    rendered = Document.objects.filter(status=RenderStatus.RENDERED).count()
    assert rendered == 3
    source = url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = url(restored_name)
    env = {**os.environ, "PYTHON": sys.executable, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CELERY_BROKER_URL", None)
    backup = tmp_path / "backup"
    subprocess.run(["scripts/backup", str(backup)], cwd=ROOT, check=True, capture_output=True, text=True,
                   env={**env, "DATABASE_URL": source, "MEDIA_ROOT": str(media)})
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    restored_media = tmp_path / "restored-media"
    to_restored = {**env, "DATABASE_URL": restored, "MEDIA_ROOT": str(restored_media)}
    subprocess.run(["psql", url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=True)
    try:
        run = subprocess.run(["scripts/restore", "--create", str(backup)], cwd=ROOT, capture_output=True,
                             text=True, env=to_restored)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"共核验 {rendered} 个文件，缺失 0 个，被改动 0 个" in run.stdout
        for table in ("documents_document", "approvals_licence", "approvals_application", "approvals_subject"):
            assert count(restored, table) == count(source, table), table
        assert len(list(restored_media.rglob("*.pdf"))) == rendered

        damaged = next(restored_media.rglob("*.pdf"))
        damaged.write_bytes(damaged.read_bytes()[:-10])
        check = subprocess.run([sys.executable, "manage.py", "verify_documents"], cwd=ROOT, capture_output=True,
                               text=True, env=to_restored)
        assert check.returncode == 1 and "被改动 1 个" in check.stdout, check.stdout + check.stderr
    finally:
        subprocess.run(["psql", url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=True)
