"""The database refuses UPDATE and DELETE of the log, superusers included; emptying it whole (TRUNCATE, Django's
flush) stays possible for tests; audit_lockdown leaves the application's role only reading it."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry, AuditSeal
from audit.seal import seal
from sanctions.models import Restriction
from tests.audit.helpers import PG, entries
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged():
    restriction = RestrictionFactory()
    Restriction.objects.filter(pk=restriction.pk).update(lift_reason="x")
    seal()
    return restriction


@pytest.mark.parametrize("change", [
    lambda: AuditEntry.objects.update(actor="someone else"),
    lambda: AuditEntry.objects.all().delete(),
    lambda: AuditSeal.objects.update(hash="0" * 64),
    lambda: AuditSeal.objects.all().delete(),
])
def test_update_and_delete_are_refused(logged, change):
    before = [(e.pk, e.actor) for e in entries()]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()
    assert [(e.pk, e.actor) for e in entries()] == before and AuditSeal.objects.count() == len(before)


@pytest.mark.skipif(PG, reason="SQLite: Django's flush")
def test_flush_may_still_empty_the_log_on_sqlite(logged):
    tables = ["audit_entry", "audit_seal", "sanctions_restriction"]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    assert not AuditEntry.objects.exists() and not AuditSeal.objects.exists()  # and the flush itself is not logged


@pytest.mark.skipif(f"not ({PG})", reason="PostgreSQL roles")
class TestPostgreSQL:
    def test_a_superuser_is_refused_too(self, logged):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            assert cursor.fetchone()[0] is True
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute("DELETE FROM audit_entry")

    def test_truncate_stays_possible(self, logged):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_entry, audit_seal, audit_sealmark")
        assert not AuditEntry.objects.exists()

    def test_the_locked_down_role_writes_through_the_triggers_but_cannot_touch_the_log(self, logged):
        role = f"audit_test_app_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            cursor.execute(f"GRANT SELECT, UPDATE ON sanctions_restriction TO {role}")
            cursor.execute(f"GRANT ALL ON audit_entry, audit_seal TO {role}")  # too much, as by a careless admin
        call_command("audit_lockdown", role=role)
        before = AuditEntry.objects.count()
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
            try:
                cursor.execute("UPDATE sanctions_restriction SET lift_reason = 'y' WHERE id = %s", [logged.pk])
                cursor.execute("SELECT count(*) FROM audit_entry")
                assert cursor.fetchone()[0] == before + 1  # the trigger wrote it, as the owner
                cursor.execute("SELECT audit_seal()")  # and sealing is allowed
                for statement in ["INSERT INTO audit_entry (table_name, object_id, op, at, actor, data) VALUES "
                                  "('sanctions_restriction', 1, 'U', now(), '', '{}')",
                                  "UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_seal",
                                  "TRUNCATE audit_entry", "UPDATE audit_sealmark SET low = 10000000"]:
                    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                        cursor.execute(statement)
            finally:
                cursor.execute("RESET ROLE")

    def test_lockdown_refuses_a_superuser_or_the_owner(self):
        with pytest.raises(CommandError, match="超级用户"):
            call_command("audit_lockdown", role="postgres")
        role = f"audit_test_owner_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
            cursor.execute(f"ALTER TABLE sanctions_restriction OWNER TO {role}")
        with pytest.raises(CommandError, match="sanctions_restriction"):
            call_command("audit_lockdown", role=role)
