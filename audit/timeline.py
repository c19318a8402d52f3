"""A page's timeline from the audit log: who changed what and when, in the user's language.

The rows carry the table and column names the database uses; they are shown with the models' verbose names and
choice labels (the audit app looks models up by table name in the registry, importing none)."""

from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEntry, AuditSeal, Op

# columns never shown: identifiers and technical evidence a timeline reader does not need
HIDDEN = {"id", "ip_address", "user_agent", "text_sha256", "source_key"}
# the audited models' fields without a verbose name of their own
LABELS = {
    "letter": gettext_lazy("commitment letter"),
    "signer_subject": gettext_lazy("signing subject"),
    "application_matter": gettext_lazy("matter applied for"),
    "matter": gettext_lazy("matter"),
    "year": gettext_lazy("year"),
    "sequence": gettext_lazy("sequence number"),
    "issued_by": gettext_lazy("issued by"),
    "revoked_at": gettext_lazy("revoked at"),
    "created_at": gettext_lazy("created at"),
    "created_by": gettext_lazy("created by"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Row:
    at: datetime
    who: str
    what: str          # e.g. "licence SCJG-2026-000001"
    op: str
    op_label: str
    state: str = ""    # for a creation: the state it was created in
    changes: list[Change] = field(default_factory=list)
    sealed: bool = False
    key: tuple = ()


def _models_by_table() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in apps.get_models()}


def _targets(objects) -> list[tuple[str, int]]:
    out = []
    for item in objects:
        if item is None or item == "":
            continue
        if isinstance(item, models.Model):
            out.append((item._meta.db_table, item.pk))
        else:  # a queryset or a list of instances
            out.extend((obj._meta.db_table, obj.pk) for obj in item if obj is not None)
    return out


class _Formatter:
    def __init__(self, users: dict):
        self.users = users
        self.user_model = get_user_model()

    def label(self, model, column: str) -> str:
        f = _field(model, column)
        if f is None:
            return column
        if isinstance(f.verbose_name, Promise):
            return str(f.verbose_name)
        return str(LABELS.get(f.name, f.verbose_name))

    def value(self, model, column: str, value) -> str:
        if value is None or value == "":
            return "—"
        f = _field(model, column)
        if f is None:
            return Truncator(str(value)).chars(80)
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(f, models.BooleanField):
            return _("yes") if value in (True, 1, "1", "true") else _("no")
        if f.is_relation and f.related_model is self.user_model:
            return self.users.get(str(value), f"#{value}")
        if f.is_relation:
            return f"#{value}"
        if isinstance(f, models.DateTimeField):
            parsed = parse_datetime(str(value))
            if parsed:
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed, dt_timezone.utc)
                return date_format(timezone.localtime(parsed), "Y-m-d H:i")
        if isinstance(f, models.DateField):
            parsed = parse_date(str(value)[:10])
            if parsed:
                return date_format(parsed, "Y-m-d")
        return Truncator(str(value)).chars(80)


def _field(model, column):
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if f.column == column:
            return f
    return None


def _who(actor: str, users: dict) -> str:
    if not actor:
        return _("system")
    if actor.isdigit():
        return users.get(actor, f"#{actor}")
    if actor.startswith("task:"):
        return _("scheduled task %(name)s") % {"name": actor[5:]}
    return actor


def timeline(*objects, limit: int = 500) -> list[Row]:
    """The audit entries of these objects (instances, querysets or lists of them), oldest first."""
    targets = _targets(objects)
    if not targets:
        return []
    by_table: dict[str, set] = {}
    for table, pk in targets:
        by_table.setdefault(table, set()).add(pk)
    condition = Q()
    for table, pks in by_table.items():
        condition |= Q(table_name=table, object_id__in=pks)
    entries = list(AuditEntry.objects.filter(condition).order_by("at", "id")[:limit])
    sealed = set(AuditSeal.objects.filter(entry_id__in=[e.pk for e in entries]).values_list("entry_id", flat=True))

    user_model = get_user_model()
    table_models = _models_by_table()
    user_ids = {e.actor for e in entries if e.actor.isdigit()}
    for e in entries:
        model = table_models.get(e.table_name)
        for f in (model._meta.concrete_fields if model else []):
            if f.is_relation and f.related_model is user_model and e.data.get(f.column) is not None:
                user_ids.add(str(e.data[f.column]))
    users = {str(u.pk): (u.get_full_name() or u.get_username())
             for u in user_model.objects.filter(pk__in=[int(i) for i in user_ids])}
    fmt = _Formatter(users)

    previous: dict[tuple, dict] = {}
    rows = []
    for e in entries:
        model = table_models.get(e.table_name)
        data = e.data or {}
        name = str(model._meta.verbose_name) if model else e.table_name
        ident = data.get("number") or f"#{e.object_id}"
        row = Row(at=e.at, who=_who(e.actor, users), what=f"{name} {ident}", op=e.op,
                  op_label=str(Op(e.op).label), sealed=e.pk in sealed, key=(e.table_name, e.object_id))
        key = row.key
        before = previous.get(key)
        if e.op == Op.INSERT and "state" in data:
            row.state = fmt.value(model, "state", data["state"])
        elif e.op == Op.UPDATE:
            for column, new in data.items():
                if column in HIDDEN:
                    continue
                old = before.get(column) if before is not None else None
                if before is not None and old == new:
                    continue
                if before is None and column != "state":
                    continue  # the row predates the log: only its state is worth showing
                row.changes.append(Change(fmt.label(model, column), fmt.value(model, column, old)
                                          if before is not None else "", fmt.value(model, column, new)))
            row.changes.sort(key=lambda c: c.label != fmt.label(model, "state"))  # the state first
        previous[key] = data
        last = rows[-1] if rows else None
        if (last is not None and row.op == last.op == Op.UPDATE and last.key == key and last.who == row.who
                and (row.at - last.at).total_seconds() < 2
                and not {c.label for c in last.changes} & {c.label for c in row.changes}):
            _merge(last, row)  # one act in several statements (the state, then its particulars): one entry
            continue
        rows.append(row)
    return rows


def _merge(into: Row, row: Row) -> None:
    into.changes.extend(row.changes)  # other fields only: each change of one field keeps its own entry
