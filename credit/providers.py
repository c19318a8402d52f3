"""What the credit check (approvals) sees: the computed grade where the model in use applies, with the
imported grade as the fallback; and the record of which score each check saw."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from approvals.models import Subject

from .engine import compute
from .models import CheckScore, Entry, EvaluationModel, ModelVersion, NightlyRun, Score
from .services.scoring import _Counted, is_fresh


@dataclass
class ComputedGrade:
    """Looks like approvals' CreditGrade where the credit check reads it (pk, grade, source, assessed_on)."""

    pk: int
    grade: str
    source: str
    assessed_on: date
    points: Decimal
    version_id: int
    computed: bool = True


# published versions never change (a change is a new version): loaded once per process, by id
_versions: dict[int, ModelVersion] = {}


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _version_in_use() -> tuple[ModelVersion | None, date | None]:
    """(the published version of the model in use, the day of its last complete nightly run): one query. Raw SQL:
    this is the credit check's hot path, where building ORM queries costs more than running them."""
    code = settings.CREDIT_EVALUATION_MODEL
    if not code:
        return None, None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.id, (SELECT MAX(r.day) FROM {NightlyRun._meta.db_table} r WHERE r.version_id = v.id "  # nosec B608
            f"AND r.finished_at IS NOT NULL) FROM {ModelVersion._meta.db_table} v "
            f"JOIN {EvaluationModel._meta.db_table} m ON m.id = v.model_id "
            "WHERE m.code = %s AND v.state = 'published' ORDER BY v.number DESC LIMIT 1", [code])
        row = cursor.fetchone()
    if row is None:
        return None, None
    version = _versions.get(row[0])
    if version is None:
        version = (ModelVersion.objects.select_related("model").prefetch_related("indicators", "bands")
                   .get(pk=row[0]))
        list(version.indicators.all()), list(version.bands.all())
        _versions[row[0]] = version
    return version, _as_date(row[1])


def _entries_of(subjects: list) -> dict[int, list[_Counted]]:
    """Own entries and those passed through from the organisations each person represents: one query."""
    ids = [s.pk for s in subjects]
    found: dict[int, list[_Counted]] = {pk: [] for pk in ids}
    persons = [s.pk for s in subjects if s.is_person]
    entry, subject = Entry._meta.db_table, Subject._meta.db_table
    sql = f"SELECT e.*, NULL AS via_id, e.subject_id AS target_id FROM {entry} e WHERE e.subject_id IN ({_in(ids)}) " \
          "AND e.withdrawn_at IS NULL"
    params = list(ids)
    if persons:
        sql += (f" UNION ALL SELECT e.*, s.id, s.legal_representative_id FROM {entry} e JOIN {subject} s "
                f"ON s.id = e.subject_id WHERE s.legal_representative_id IN ({_in(persons)}) "
                "AND e.withdrawn_at IS NULL")
        params += persons
    rows = list(Entry.objects.raw(sql, params))
    orgs = {o.pk: o for o in Subject.objects.filter(pk__in={r.via_id for r in rows if r.via_id})} if any(
        r.via_id for r in rows) else {}
    for e in rows:
        found[e.target_id].append(_Counted(e.source, _as_date(e.occurred_on), e.quantity, _as_date(e.ends_on),
                                           orgs.get(e.via_id), e.description, e.violation_id, e))
    return found


def computed_grades(subjects: list, at: datetime, imported: dict) -> dict[int, ComputedGrade]:
    """approvals.ports.grade_providers: {subject pk: computed grade} for the subjects the model scores, from the
    imported grades approvals already looked up ({subject pk: CreditGrade}). A stored score not good for the day
    (an entry's period ended since), or none yet, is computed from the entries for all such subjects together
    (one query, whatever their number) and used without being stored: the events and the nightly run store."""
    version, vouched = _version_in_use()
    if version is None:
        return {}
    day = timezone.localdate(at)
    scope = [s for s in subjects if version.applies_to(s.kind)]
    if not scope:
        return {}
    ids = [s.pk for s in scope]
    stored = Score.objects.raw(f"SELECT * FROM {Score._meta.db_table} WHERE version_id = %s AND subject_id IN "
                               f"({_in(ids)})", [version.pk, *ids])
    scores = {}
    for score in stored:
        score.computed_on, score.valid_until = _as_date(score.computed_on), _as_date(score.valid_until)
        if is_fresh(score, day, vouched):
            scores[score.subject_id] = score
    missing = [s for s in scope if s.pk not in scores]
    if missing:
        indicators, bands = list(version.indicators.all()), list(version.bands.all())
        entries = _entries_of(missing)
        for subject in missing:
            grade = imported.get(subject.pk)
            result = compute(version, kind=subject.kind, day=day, imported_grade=grade.grade if grade else None,
                             entries=entries[subject.pk], indicators=indicators, bands=bands)
            if result is not None:  # read path: computed, not stored (events and the nightly run store)
                scores[subject.pk] = Score(subject_id=subject.pk, version=version, points=result.points,
                                           grade=result.grade, computed_on=day, valid_until=result.valid_until)
    found: dict[int, ComputedGrade] = {}
    for subject in scope:
        score = scores.get(subject.pk)
        if score is None:
            continue
        found[subject.pk] = ComputedGrade(
            pk=score.pk, grade=score.grade, assessed_on=score.computed_on, points=Decimal(score.points),
            version_id=version.pk, source=f"{version.model.name} v{version.number} · {score.points}")
    return found


def record_check(check, facts) -> None:
    """approvals.ports.credit_check_listeners: which score (or imported grade) the check saw, per subject."""
    rows = []
    for f in facts:
        grade = f.grade
        computed = getattr(grade, "computed", False)
        rows.append(CheckScore(credit_check=check, subject=f.subject, role=f.role,
                               version_id=grade.version_id if computed else None,
                               points=grade.points if computed else None,
                               grade=grade.grade if grade is not None else "", imported=not computed))
    CheckScore.objects.bulk_create(rows, ignore_conflicts=True)
