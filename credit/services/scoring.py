"""Scores: incremental (a subject's entries synced and explained, its Score row written, in the event's
transaction) and the nightly full run (set-based: entries synced by INSERT … SELECT, every score by one
INSERT … SELECT … ON CONFLICT). Both are idempotent and give the same result
(tests/credit/test_incremental_equals_nightly.py)."""

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from approvals.models import CreditGrade, Subject
from inspections.models import Obligation
from sanctions.models import Restriction, Violation

from ..engine import Explanation, compute, score_sql
from ..models import Entry, ModelVersion, NightlyRun, Score, VersionState

logger = logging.getLogger(__name__)


def active_version() -> ModelVersion | None:
    """The published version of the model in use (settings.CREDIT_EVALUATION_MODEL); None: grades are imported."""
    code = settings.CREDIT_EVALUATION_MODEL
    if not code:
        return None
    return (ModelVersion.objects.filter(model__code=code, state=VersionState.PUBLISHED).select_related("model")
            .prefetch_related("indicators", "bands").order_by("-number").first())


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _local_date(column: str) -> tuple[str, list]:
    """SQL for the local calendar date of a timestamp column, and its parameter."""
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE %s) AS date)", [settings.TIME_ZONE]
    offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    return f"date({column}, %s)", [f"{int(offset.total_seconds() // 60):+d} minutes"]


def _distinct() -> str:
    return "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"


def _in(column: str, ids: list[int] | None) -> tuple[str, list]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def sync_kept_by_window(day: date, subject_ids: list[int] | None = None, since: date | None = None) -> int:
    """Huzhou's "no violation means kept": an obligation whose verification window ended before `day` without
    being checked (due or not drawn) and with no violation case on its application counts as a commitment kept,
    dated the end of the window. One INSERT … SELECT; an entry already there is left as it is. `since`: only
    windows that ended on or after it (the nightly run looks back from its last complete run)."""
    holder, holder_params = _in("o.holder_id", subject_ids)
    if since is not None:
        holder += " AND o.due_on >= %s"
        holder_params.append(connection.ops.adapt_datefield_value(since))
    now = timezone.now()
    sql = (
        f"INSERT INTO {_t(Entry)} (subject_id, source, occurred_on, quantity, source_key, description, evidence, "
        "created_at, withdrawal_reason) "
        "SELECT o.holder_id, 'commitment_kept', o.due_on, 1, 'obligation:' || CAST(o.id AS VARCHAR(20)), "
        "l.number, '', %s, '' "
        f"FROM {_t(Obligation)} o JOIN approvals_licence l ON l.id = o.licence_id "
        "JOIN approvals_applicationmatter am ON am.id = l.application_matter_id "
        "WHERE o.holder_id IS NOT NULL AND o.state IN ('due', 'not_selected') AND o.due_on < %s"
        f"{holder} AND NOT EXISTS (SELECT 1 FROM {_t(Violation)} v WHERE v.application_id = am.application_id "
        "AND v.state <> 'withdrawn') "
        "ON CONFLICT (source_key) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, connection.ops.adapt_datefield_value(day), *holder_params])
        return max(cursor.rowcount, 0)


def sync_restrictions(subject_ids: list[int] | None = None) -> int:
    """One entry per restriction: from its start to its end (or early lift); withdrawn with it."""
    start_sql, start_params = _local_date("r.starts_at")
    end_sql, end_params = _local_date("(CASE WHEN r.lifted_at IS NOT NULL AND r.lifted_at < r.ends_at "
                                      "THEN r.lifted_at ELSE r.ends_at END)")
    subject, subject_params = _in("r.subject_id", subject_ids)
    now = timezone.now()
    table = _t(Entry)
    sql = (
        f"INSERT INTO {table} (subject_id, source, occurred_on, ends_on, quantity, source_key, description, "
        "violation_id, evidence, created_at, withdrawn_at, withdrawal_reason) "
        f"SELECT r.subject_id, 'restriction', {start_sql}, {end_sql}, 1, "
        "'restriction:' || CAST(r.id AS VARCHAR(20)), r.legal_act, r.violation_id, '', %s, "
        "CASE WHEN r.state = 'withdrawn' THEN %s ELSE NULL END, '' "
        f"FROM {_t(Restriction)} r WHERE 1=1{subject} "
        "ON CONFLICT (source_key) DO UPDATE SET ends_on = excluded.ends_on, "
        f"withdrawn_at = CASE WHEN excluded.withdrawn_at IS NULL THEN NULL "
        f"ELSE COALESCE({table}.withdrawn_at, excluded.withdrawn_at) END "
        # only what changed (a lift, a withdrawal): an unchanged restriction writes nothing
        f"WHERE {table}.ends_on {_distinct()} excluded.ends_on "
        f"OR ({table}.withdrawn_at IS NULL) <> (excluded.withdrawn_at IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*start_params, *end_params, now, now, *subject_params])
        return max(cursor.rowcount, 0)


@dataclass
class _Counted:
    """An entry as the engine sees it, with the organisation it passed through from."""

    source: str
    occurred_on: date
    quantity: object
    ends_on: date | None
    via: object
    description: str
    violation_id: int | None
    entry: Entry


def entries_for(subject: Subject, day: date) -> list[_Counted]:
    """The subject's own entries and, for a person, those of the organisations it represents (穿透)."""
    own = Entry.objects.filter(subject=subject, withdrawn_at__isnull=True)
    found = [_Counted(e.source, e.occurred_on, e.quantity, e.ends_on, None, e.description, e.violation_id, e)
             for e in own]
    if subject.is_person:
        passed = (Entry.objects.filter(subject__legal_representative=subject, withdrawn_at__isnull=True)
                  .select_related("subject"))
        found += [_Counted(e.source, e.occurred_on, e.quantity, e.ends_on, e.subject, e.description,
                           e.violation_id, e) for e in passed]
    return found


def imported_grade(subject: Subject, day: date) -> CreditGrade | None:
    return subject.grades.filter(assessed_on__lte=day).order_by("-assessed_on", "-pk").first()


def explain_subject(subject: Subject, day: date | None = None, version: ModelVersion | None = None
                    ) -> Explanation | None:
    """The subject's score with every line, or None where the model does not apply."""
    day = day or timezone.localdate()
    version = version or active_version()
    if version is None:
        return None
    grade = imported_grade(subject, day)
    return compute(version, kind=subject.kind, day=day, imported_grade=grade.grade if grade else None,
                   entries=entries_for(subject, day), indicators=list(version.indicators.all()),
                   bands=list(version.bands.all()))


def _store(subject: Subject, version: ModelVersion, result: Explanation | None, day: date) -> Score | None:
    if result is None:
        Score.objects.filter(subject=subject, version=version).delete()
        return None
    values = {"points": result.points, "grade": result.grade, "computed_on": day, "valid_until": result.valid_until}
    try:
        with transaction.atomic():
            score, _created = Score.objects.update_or_create(subject=subject, version=version, defaults=values)
    except IntegrityError:  # another transaction wrote it first: write ours over it
        score = Score.objects.select_for_update().get(subject=subject, version=version)
        for key, value in values.items():
            setattr(score, key, value)
        score.save()
    return score


def affected(subjects) -> list[int]:
    """The subjects and, for an organisation, its legal representative (its entries pass through)."""
    ids: set[int] = set()
    for subject in subjects:
        ids.add(subject.pk)
        if subject.legal_representative_id:
            ids.add(subject.legal_representative_id)
    return sorted(ids)


@transaction.atomic
def recalculate(subject_ids: list[int], day: date | None = None) -> dict[int, Score | None]:
    """Bring these subjects' entries and scores up to date (idempotent)."""
    day = day or timezone.localdate()
    version = active_version()
    ids = sorted(set(subject_ids))
    if not ids:
        return {}
    people = {s.pk: s for s in Subject.objects.filter(pk__in=ids)}
    org_ids = list(Subject.objects.filter(legal_representative_id__in=ids).values_list("pk", flat=True))
    sync_kept_by_window(day, ids + org_ids)
    sync_restrictions(ids + org_ids)
    if version is None:
        return {}
    return {pk: _store(s, version, explain_subject(s, day, version), day) for pk, s in people.items()}


def recalculate_quietly(subjects) -> None:
    """For the event hooks: recalculate in the event's transaction, never breaking the event (a failure is
    logged; the nightly run puts it right)."""
    ids = affected(subjects)
    try:
        with transaction.atomic():
            recalculate(ids)
    except Exception:  # noqa: BLE001
        logger.exception("credit recalculation of subjects %s failed", ids)


def last_complete_run(version: ModelVersion) -> NightlyRun | None:
    return NightlyRun.objects.filter(version=version, finished_at__isnull=False).order_by("-day", "-pk").first()


def _delete_out_of_scope(cursor, version: ModelVersion, day: date) -> None:
    kinds = [k for k in ("person", "organisation") if version.applies_to(k)] or ["-"]
    grade = (f" OR NOT EXISTS (SELECT 1 FROM {_t(CreditGrade)} g WHERE g.subject_id = s.subject_id "
             "AND g.assessed_on <= %s)") if version.requires_imported else ""
    cursor.execute(
        f"DELETE FROM {_t(Score)} WHERE id IN (SELECT s.id FROM {_t(Score)} s WHERE s.version_id = %s AND ("  # nosec B608
        f"NOT EXISTS (SELECT 1 FROM {_t(Subject)} t WHERE t.id = s.subject_id AND t.kind IN "
        f"({', '.join(['%s'] * len(kinds))})){grade}))",
        [version.pk, *kinds, *([connection.ops.adapt_datefield_value(day)] if grade else [])])


def nightly_run(day: date | None = None, version: ModelVersion | None = None) -> NightlyRun | None:
    """Every subject's score under the model in use: entries synced, then all scores computed in one statement
    and only the changed ones written. A score it did not write is vouched for by the run (see is_fresh)."""
    day = day or timezone.localdate()
    version = version or active_version()
    if version is None:
        return None
    start = time.perf_counter()
    previous = last_complete_run(version)
    # windows that ended since the last complete run (a week's margin); everything on the first run
    since = previous.day - timedelta(days=7) if previous and previous.day <= day else None
    run = NightlyRun.objects.create(version=version, day=day)
    with transaction.atomic():
        added = sync_kept_by_window(day, since=since)
        added += sync_restrictions()
    select, params = score_sql(version, day, vendor=connection.vendor,
                               tables={"entry": _t(Entry), "subject": _t(Subject), "grade": _t(CreditGrade)})
    now = timezone.now()
    table = _t(Score)
    sql = (
        f"INSERT INTO {table} (subject_id, version_id, points, grade, computed_on, valid_until, computed_at) "
        f"SELECT z.subject_id, %s, z.points, z.grade, %s, %s, %s FROM ({select}) z WHERE 1=1 "
        "ON CONFLICT (subject_id, version_id) DO UPDATE SET points = excluded.points, grade = excluded.grade, "
        "computed_on = excluded.computed_on, valid_until = excluded.valid_until, computed_at = excluded.computed_at "
        f"WHERE {table}.points <> excluded.points OR {table}.grade <> excluded.grade"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # a row it writes is good for the day; the next complete run vouches for it again (is_fresh)
        cursor.execute(sql, [version.pk, connection.ops.adapt_datefield_value(day),
                             connection.ops.adapt_datefield_value(day + timedelta(days=1)), now, *params])
        written = max(cursor.rowcount, 0)
        # subjects the model no longer applies to (e.g. their imported grade is gone) keep no score
        _delete_out_of_scope(cursor, version, day)
        run.seconds, run.entries_added, run.scores, run.finished_at = (
            time.perf_counter() - start, added, written, timezone.now())
        run.save(update_fields=["seconds", "entries_added", "scores", "finished_at"])
    return run


def is_fresh(score: Score, day: date, vouched_day: date | None) -> bool:
    """A score is good for `day` when computed for it with no change due by then, or when a complete nightly run
    of that day left it as it was."""
    if vouched_day == day and score.computed_on <= day:
        return True
    return score.computed_on <= day and (score.valid_until is None or day < score.valid_until)
