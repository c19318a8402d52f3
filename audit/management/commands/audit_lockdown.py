from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.triggers import audited_tables


class Command(BaseCommand):
    help = ("Give the application's PostgreSQL role read-only access to the audit log (SELECT; the triggers write "
            "it as the tables' owner) and the right to seal it; run as the owner, after migrate. The role must be "
            "neither a superuser nor the owner of the audit tables: either could switch the triggers off.")

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="the role the application connects as")
        parser.add_argument("--dry-run", action="store_true", help="print the statements only")

    def handle(self, *args, role, dry_run=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("audit_lockdown is for PostgreSQL; on SQLite whoever can write the file can "
                                 "rewrite it, and the chain is what shows tampering."))
        quoted = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(_("There is no role %(role)s.") % {"role": role})
            if row[0]:
                raise CommandError(_("%(role)s is a superuser: it could disable the triggers. Connect the "
                                     "application as a role without superuser rights.") % {"role": role})
            tables = ["audit_entry", "audit_seal", *(table for table, _watched in audited_tables())]
            cursor.execute("SELECT tablename FROM pg_tables WHERE tablename = ANY(%s) "
                           "AND pg_has_role(%s, tableowner, 'USAGE') ORDER BY tablename", [tables, role])
            owned = [name for (name,) in cursor.fetchall()]
            if owned:
                raise CommandError(_("%(role)s owns %(tables)s (or is a member of the owner): it could disable the "
                                     "triggers. Run migrations as another role and grant this one what it needs.")
                                   % {"role": role, "tables": ", ".join(owned)})
        statements = [
            f"REVOKE ALL ON audit_entry, audit_seal FROM {quoted}",
            f"REVOKE ALL ON SEQUENCE audit_entry_id_seq FROM {quoted}",
            f"GRANT SELECT ON audit_entry, audit_seal TO {quoted}",
            "REVOKE ALL ON FUNCTION audit_seal(integer) FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION audit_seal(integer) TO {quoted}",
        ]
        if dry_run:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS(
            _("%(role)s may now read the audit log and seal it, but not insert, change, delete or truncate "
              "entries.") % {"role": role}))
