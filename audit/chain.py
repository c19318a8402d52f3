"""The hash chain, computed here in Python for checking (the database computes it when sealing).

hash(n) = SHA-256(hash(n-1) + SHA-256(canonical(entry n))), hex; hash(0) is the empty string. The canonical text
is the table, the operation, the row's primary key, the time (UTC, microseconds), the actor and the row data as the
database renders it, joined by newlines."""

import hashlib
from datetime import datetime, timezone


def utc_text(at) -> str:
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace(" ", "T"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(table: str, op: str, object_id, at, actor: str, data_text: str) -> str:
    canonical = "\n".join([table, op, str(object_id), utc_text(at), actor or "", data_text])
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def link(prev_hash: str | None, entry_digest: str) -> str:
    return hashlib.sha256(((prev_hash or "") + entry_digest).encode("ascii")).hexdigest()


def entry_hash(prev_hash, table, op, object_id, at, actor, data_text) -> str:
    return link(prev_hash, digest(table, op, object_id, at, actor, data_text))
