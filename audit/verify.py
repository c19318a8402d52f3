"""Walking the hash chain: recompute every link from the entries and report the first one that does not hold."""

from dataclasses import dataclass, field

from django.db import connection as default_connection, transaction
from django.utils.translation import gettext as _

from .chain import entry_hash


@dataclass
class Report:
    links: int = 0
    broken: int = 0
    first_broken: str = ""
    head_hash: str = ""
    unsealed: int = 0  # committed too recently (PostgreSQL: a transaction older than them still runs)
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def _describe(seq, entry_id, table, op, object_id, at) -> str:
    return _("link %(seq)s (entry %(entry)s: %(table)s #%(object)s, %(op)s, %(at)s)") % {
        "seq": seq, "entry": entry_id, "table": table, "object": object_id, "op": op, "at": at}


def verify(*, connection=None, batch: int = 5000) -> Report:
    connection = connection or default_connection
    pg = connection.vendor == "postgresql"
    data = "e.data::text" if pg else "e.data"
    report = Report()

    def broken(message):
        report.broken += 1
        if not report.first_broken:
            report.first_broken = message

    prev_hash, expected_seq = "", 1
    # a server-side cursor on PostgreSQL: the chain is streamed, not loaded whole
    with transaction.atomic(using=connection.alias), connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT s.seq, s.hash, s.entry_id, e.id, e.table_name, e.op, e.object_id, e.at, e.actor, {data} "  # nosec B608
            "FROM audit_seal s LEFT JOIN audit_entry e ON e.id = s.entry_id ORDER BY s.seq")
        while rows := cursor.fetchmany(batch):
            for seq, stored, entry_id, eid, table, op, object_id, at, actor, text in rows:
                report.links += 1
                if seq != expected_seq:
                    broken(_("links %(first)s to %(last)s are missing (the chain jumps from %(first)s to %(seq)s)")
                           % {"first": expected_seq, "last": seq - 1, "seq": seq})
                if eid is None:
                    broken(_("link %(seq)s: its entry %(entry)s is missing (deleted)") % {
                        "seq": seq, "entry": entry_id})
                else:
                    recomputed = entry_hash(prev_hash, table, op, object_id, at, actor, text)
                    if recomputed != stored:
                        broken(_("%(link)s: the hash does not match — the entry or the chain was altered")
                               % {"link": _describe(seq, eid, table, op, object_id, at)})
                prev_hash, expected_seq = stored, seq + 1
        report.head_hash = prev_hash

    with connection.cursor() as cursor:
        # entries the sealer will never reach: below its mark (PostgreSQL; see AuditSealMark) or, on SQLite, any
        # (each is sealed as it is inserted); others are waiting for the next sealing run
        low = 0
        if pg:
            cursor.execute("SELECT low FROM audit_sealmark WHERE id = 1")
            row = cursor.fetchone()
            low = row[0] if row else 0
        cursor.execute(
            "SELECT e.id, e.table_name, e.object_id, e.op, e.at FROM audit_entry e WHERE NOT EXISTS "
            "(SELECT 1 FROM audit_seal s WHERE s.entry_id = e.id) ORDER BY e.id")
        for eid, table, object_id, op, at in cursor.fetchall():
            if pg and eid > low:
                report.unsealed += 1
                continue
            broken(_("entry %(entry)s (%(table)s #%(object)s, %(op)s, %(at)s) is not in the chain") % {
                "entry": eid, "table": table, "object": object_id, "op": op, "at": at})
    return report
