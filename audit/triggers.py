"""The triggers that write the audit log, and the ones that keep it append-only.

PostgreSQL: per audited table three statement-level AFTER triggers with transition tables (one call per statement,
so a sweep updating a million rows costs one INSERT … SELECT, not a million trigger calls). They never wait for
one another: entries are chained afterwards by `audit_seal()`, which seals the committed entries not sealed yet
(an entry whose transaction commits late joins the chain on a later run), one sealer at a time, so the chain is one
line. Trigger and sealing functions are SECURITY DEFINER: the application's role needs no INSERT on the log (see
the audit_lockdown command).

SQLite (embedded default): row-level triggers; there is only one writer at a time, so each entry is sealed by a
trigger as it is inserted. The functions they call (audit_now, audit_actor, audit_link, audit_purge_allowed) are
registered on each connection (actor.py); a connection without them (e.g. the sqlite3 shell) cannot write audited
rows at all.

Audited: applications, signatures, licences, inspection records, obligations (state changes only),
violation cases, restrictions."""

from django.db import connection as default_connection

# model label -> columns whose change makes an entry (None: any column)
AUDITED = {
    "approvals.Application": None,
    "approvals.Signature": None,
    "approvals.Licence": None,
    "inspections.Obligation": ("state",),  # overdue is derived from due_on when read (inspections 0009)
    "inspections.InspectionRecord": None,
    "sanctions.Violation": None,
    "sanctions.Restriction": None,
}

ENTRY = "audit_entry"
SEAL = "audit_seal"
MARK = "audit_sealmark"
REFUSED = "audit log is append-only"


def audited_tables(apps=None) -> list[tuple[str, tuple | None]]:
    if apps is None:
        from django.apps import apps
    return [(apps.get_model(label)._meta.db_table, watched) for label, watched in AUDITED.items()]


# ---- PostgreSQL -----------------------------------------------------------------------------------------------

def _pg_capture_function(table: str, watched) -> str:
    if watched:
        changed = " OR ".join(f'new_row."{c}" IS DISTINCT FROM old_row."{c}"' for c in watched)
    else:
        changed = "new_row IS DISTINCT FROM old_row"
    columns = f"INSERT INTO {ENTRY} (table_name, object_id, op, at, actor, data)"
    common = "statement_timestamp(), coalesce(current_setting('audit.actor', true), ''), {row}"
    return f"""
CREATE OR REPLACE FUNCTION audit_capture_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {columns}
    SELECT '{table}', new_row.id, 'I', {common.format(row="to_jsonb(new_row)")} FROM audit_new new_row;
  ELSIF TG_OP = 'UPDATE' THEN
    {columns}
    SELECT '{table}', new_row.id, 'U', {common.format(row="to_jsonb(new_row)")}
    FROM audit_new new_row JOIN audit_old old_row ON old_row.id = new_row.id WHERE {changed};
  ELSE
    {columns}
    SELECT '{table}', old_row.id, 'D', {common.format(row="to_jsonb(old_row)")} FROM audit_old old_row;
  END IF;
  RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS audit_insert ON {table};
DROP TRIGGER IF EXISTS audit_update ON {table};
DROP TRIGGER IF EXISTS audit_delete ON {table};
CREATE TRIGGER audit_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS audit_new
  FOR EACH STATEMENT EXECUTE FUNCTION audit_capture_{table}();
CREATE TRIGGER audit_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS audit_old NEW TABLE AS audit_new
  FOR EACH STATEMENT EXECUTE FUNCTION audit_capture_{table}();
CREATE TRIGGER audit_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS audit_old
  FOR EACH STATEMENT EXECUTE FUNCTION audit_capture_{table}();
"""


PG_GUARD = f"""
CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '{REFUSED}: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$fn$;
DROP TRIGGER IF EXISTS audit_guard ON {ENTRY};
DROP TRIGGER IF EXISTS audit_guard ON {SEAL};
CREATE TRIGGER audit_guard BEFORE UPDATE OR DELETE ON {ENTRY} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_guard BEFORE UPDATE OR DELETE ON {SEAL} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
"""

# Seals (chains) the committed entries not sealed yet, in the order of their numbers; one sealer at a time (an
# advisory lock only sealers take: writers never wait). An entry whose transaction commits late is sealed by a later
# run, after entries numbered above it: the chain's order is the order of sealing (seq).
PG_SEAL = f"""
CREATE OR REPLACE FUNCTION audit_seal(max_rows integer DEFAULT 50000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
DECLARE
  mark record;
  have_mark boolean;
  mark_low bigint := 0;
  handed_out bigint;
  next_xid bigint;
  ripe boolean;
  last_seq bigint := 0;
  last_hash text := '';
  r record;
  seqs bigint[] := '{{}}';
  ids bigint[] := '{{}}';
  hashes text[] := '{{}}';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit.seal'));
  SELECT * INTO mark FROM {MARK} WHERE id = 1;
  have_mark := FOUND;
  IF have_mark THEN mark_low := mark.low; END IF;
  -- every transaction that could still commit an entry numbered up to mark.pending_last has ended
  ripe := have_mark AND mark.pending_last IS NOT NULL
          AND pg_snapshot_xmin(pg_current_snapshot())::text::bigint >= mark.pending_xmax;
  EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %s',
                 pg_get_serial_sequence('{ENTRY}', 'id')) INTO handed_out;
  -- this sealer's own transaction id, taken after reading the sequence: a writer draws an entry number only after
  -- its own id exists, so every writer holding a number up to handed_out has a lower id than this. (A snapshot's
  -- xmax is no such bound: it is one above the newest *finished* id, and writers that started later and are still
  -- open can hold ids at or above it; with it, the mark once moved past an entry not committed yet.)
  next_xid := pg_current_xact_id()::text::bigint;

  SELECT s.seq, s.hash INTO last_seq, last_hash FROM {SEAL} s ORDER BY s.seq DESC LIMIT 1;
  IF NOT FOUND THEN last_seq := 0; last_hash := ''; END IF;
  FOR r IN
    SELECT e.id, encode(sha256(convert_to(
             e.table_name || E'\\n' || e.op || E'\\n' || e.object_id::text || E'\\n'
             || to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || E'\\n'
             || e.actor || E'\\n' || e.data::text, 'UTF8')), 'hex') AS digest
      FROM {ENTRY} e
     WHERE e.id > mark_low AND NOT EXISTS (SELECT 1 FROM {SEAL} s WHERE s.entry_id = e.id)
     ORDER BY e.id
     LIMIT max_rows
  LOOP
    last_seq := last_seq + 1;
    last_hash := encode(sha256(convert_to(last_hash || r.digest, 'UTF8')), 'hex');
    seqs := array_append(seqs, last_seq);
    ids := array_append(ids, r.id);
    hashes := array_append(hashes, last_hash);
  END LOOP;
  INSERT INTO {SEAL} (seq, entry_id, hash) SELECT * FROM unnest(seqs, ids, hashes);

  IF NOT have_mark THEN
    INSERT INTO {MARK} (id, low, pending_last, pending_xmax) VALUES (1, 0, handed_out, next_xid);
  ELSIF ripe AND cardinality(seqs) < max_rows THEN
    -- all that was visible above the mark is sealed now: move it, and watch what was handed out since
    UPDATE {MARK} SET low = greatest(mark_low, mark.pending_last), pending_last = handed_out, pending_xmax = next_xid
     WHERE id = 1;
  END IF;
  RETURN cardinality(seqs);
END
$fn$;
"""


def pg_install(cursor, tables) -> None:
    cursor.execute(PG_GUARD)
    cursor.execute(PG_SEAL)
    for table, watched in tables:
        cursor.execute(_pg_capture_function(table, watched))


def pg_uninstall(cursor, tables) -> None:
    for table, _watched in tables:
        for name in ("audit_insert", "audit_update", "audit_delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS audit_capture_{table}()")
    cursor.execute(f"DROP TRIGGER IF EXISTS audit_guard ON {ENTRY}")
    cursor.execute(f"DROP TRIGGER IF EXISTS audit_guard ON {SEAL}")
    cursor.execute("DROP FUNCTION IF EXISTS audit_refuse()")
    cursor.execute("DROP FUNCTION IF EXISTS audit_seal(integer)")
    cursor.execute(f"DELETE FROM {MARK}")  # nosec B608


def pg_missing(cursor, tables) -> bool:
    cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname IN ('audit_insert', 'audit_update', "
                   "'audit_delete', 'audit_guard') AND NOT tgisinternal")
    return cursor.fetchone()[0] < 3 * len(tables) + 2


# ---- SQLite -----------------------------------------------------------------------------------------------------

def _sqlite_columns(cursor, table: str) -> list[str]:
    cursor.execute(f'PRAGMA table_info("{table}")')
    return [row[1] for row in cursor.fetchall()]


def sqlite_statements(cursor, tables) -> dict[str, str]:
    """name -> CREATE TRIGGER statement, for the current columns of each audited table."""
    out = {}
    insert = f"INSERT INTO {ENTRY} (table_name, object_id, op, at, actor, data)"
    for table, watched in tables:
        columns = _sqlite_columns(cursor, table)

        def row(ref):
            return "json_object(" + ", ".join(f"'{c}', {ref}.\"{c}\"" for c in columns) + ")"

        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in (watched or columns))
        out[f"audit_{table}_insert"] = (
            f'CREATE TRIGGER "audit_{table}_insert" AFTER INSERT ON "{table}" FOR EACH ROW BEGIN '
            f"{insert} VALUES ('{table}', NEW.\"id\", 'I', audit_now(), audit_actor(), {row('NEW')}); END")
        out[f"audit_{table}_update"] = (
            f'CREATE TRIGGER "audit_{table}_update" AFTER UPDATE ON "{table}" FOR EACH ROW '
            f"WHEN audit_purge_allowed() = 0 AND ({changed}) BEGIN "
            f"{insert} VALUES ('{table}', NEW.\"id\", 'U', audit_now(), audit_actor(), {row('NEW')}); END")
        out[f"audit_{table}_delete"] = (
            f'CREATE TRIGGER "audit_{table}_delete" AFTER DELETE ON "{table}" FOR EACH ROW '
            f"WHEN audit_purge_allowed() = 0 BEGIN "
            f"{insert} VALUES ('{table}', OLD.\"id\", 'D', audit_now(), audit_actor(), {row('OLD')}); END")
    out["audit_entry_seal"] = (
        f'CREATE TRIGGER "audit_entry_seal" AFTER INSERT ON {ENTRY} FOR EACH ROW BEGIN '
        f"INSERT INTO {SEAL} (seq, entry_id, hash) VALUES ("
        f"coalesce((SELECT max(seq) FROM {SEAL}), 0) + 1, NEW.id, audit_link("
        f"(SELECT hash FROM {SEAL} ORDER BY seq DESC LIMIT 1), NEW.table_name, NEW.op, NEW.object_id, NEW.at, "
        f"NEW.actor, NEW.data)); END")
    for table in (ENTRY, SEAL):
        out[f"{table}_guard_update"] = (
            f'CREATE TRIGGER "{table}_guard_update" BEFORE UPDATE ON {table} FOR EACH ROW BEGIN '
            f"SELECT RAISE(ABORT, '{REFUSED}: UPDATE on {table} refused'); END")
        out[f"{table}_guard_delete"] = (
            f'CREATE TRIGGER "{table}_guard_delete" BEFORE DELETE ON {table} FOR EACH ROW '
            f"WHEN audit_purge_allowed() = 0 BEGIN "
            f"SELECT RAISE(ABORT, '{REFUSED}: DELETE on {table} refused'); END")
    return out


def sqlite_install(cursor, tables, *, only_changed: bool = False) -> int:
    """(Re)create the triggers; with only_changed, those whose text differs (a table rebuilt by a migration loses
    its triggers, a new column changes the row data). Returns how many were created."""
    wanted = sqlite_statements(cursor, tables)
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    present = dict(cursor.fetchall())
    created = 0
    for name, sql in wanted.items():
        if only_changed and present.get(name) == sql:
            continue
        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute(sql)
        created += 1
    return created


def sqlite_uninstall(cursor, tables) -> None:
    for name in sqlite_statements(cursor, tables):
        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


# ---- both -------------------------------------------------------------------------------------------------------

def install(connection=None, apps=None, *, only_if_needed: bool = False) -> None:
    connection = connection or default_connection
    tables = audited_tables(apps)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not only_if_needed or pg_missing(cursor, tables):
                pg_install(cursor, tables)
        elif connection.vendor == "sqlite":
            sqlite_install(cursor, tables, only_changed=only_if_needed)


def uninstall(connection=None, apps=None) -> None:
    connection = connection or default_connection
    tables = audited_tables(apps)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pg_uninstall(cursor, tables)
        elif connection.vendor == "sqlite":
            sqlite_uninstall(cursor, tables)
