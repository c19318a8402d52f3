"""What the credit check (approvals) sees: the computed grade where the model in use applies, with the
imported grade as the fallback; and the record of which score each check saw."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Context as DecimalContext, Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from approvals.models import Subject

from .engine import compute
from .models import CheckScore, Entry, EvaluationModel, ModelVersion, NightlyRun, Score, Source
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


# The credit check runs on every application (逢办必查), so it reads the model with one statement per check. The
# process keeps the version of the model in use as it last found it (id, published_at, the day of its last
# complete nightly run) and each check's statement reads that version's row again next to the scores: if it has
# been retired or a nightly run has finished since, in this process or another, the check finds out there and
# reads again under what is in use now. So a newly published version is used from the very next check on in
# every process; there is no cache to expire or invalidate. Published versions never change (a change is a new
# version): each is loaded once per process, keyed by (id, published_at) so that a reused id is not mistaken.


@dataclass
class _Version:
    version: ModelVersion
    indicators: list
    bands: list
    passes_through: bool  # some indicator counts an organisation's entries for its legal representative (穿透)


@dataclass
class _InUse:
    key: tuple  # (version id, published_at, day of its last complete nightly run), as the database gives them
    model: _Version | None  # None: the model has no published version
    vouched: date | None


_assumed: dict[str, _InUse] = {}  # model code -> the version in use as this process last found it
_versions: dict[tuple, _Version] = {}
_BATCH = 300  # subjects per statement: each id appears up to three times (SQLite allows 999 parameters)
_CENT = Decimal("0.01")
_FLOATS = DecimalContext(prec=15)


def _as_date(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _as_decimal(value):
    """A DecimalField(…, decimal_places=2) read by hand: PostgreSQL gives a Decimal; SQLite an int or a float,
    converted as Django's SQLite backend converts it."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return Decimal(value).quantize(_CENT)
    return _FLOATS.create_decimal_from_float(value).quantize(_CENT)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _load(pk: int, published_at) -> _Version:
    loaded = _versions.get((pk, published_at))
    if loaded is None:
        version = ModelVersion.objects.select_related("model").prefetch_related("indicators", "bands").get(pk=pk)
        indicators, bands = list(version.indicators.all()), list(version.bands.all())
        passes = any(i.pass_through and i.for_person and i.source != Source.IMPORTED for i in indicators)
        loaded = _versions[(pk, published_at)] = _Version(version, indicators, bands, passes)
    return loaded


def _in_use(row) -> _InUse:
    if row is None:
        return _InUse(key=(None, None, None), model=None, vouched=None)
    return _InUse(key=(row[0], row[1], row[2]), model=_load(row[0], row[1]), vouched=_as_date(row[2]))


def _published_at() -> str:
    """published_at as text (it only tells one publication from another), in every statement alike."""
    return _cast_null(Entry, "description").replace("NULL", "v.published_at", 1)


_VOUCHED = "(SELECT MAX(r.day) FROM {run} r WHERE r.version_id = v.id AND r.finished_at IS NOT NULL)"


def _resolve(code: str) -> _InUse:
    """The published version of model `code` (and its last complete nightly day), looked up by the code."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.id, {_published_at()}, {_VOUCHED.format(run=NightlyRun._meta.db_table)} "  # nosec B608
            f"FROM {ModelVersion._meta.db_table} v JOIN {EvaluationModel._meta.db_table} m ON m.id = v.model_id "
            "WHERE m.code = %s AND v.state = 'published' ORDER BY v.number DESC LIMIT 1", [code])
        return _in_use(cursor.fetchone())


@dataclass
class _Read:
    key: tuple  # the version's row as the statement found it (see _InUse.key); (None, None, None): not in use
    vouched: date | None
    scope: list  # the subjects the version scores
    scores: dict[int, Score]
    entries: dict[int, list[_Counted]]


def _entry(row) -> _Counted:
    """An entry row (tag, target, via, id, source, occurred_on, ends_on, quantity, description, violation_id)
    as the engine counts it. The read path keeps only the grade, points and valid_until of the result, so
    neither the Entry nor the organisation it passed through from is loaded (`via` is the organisation's id)."""
    return _Counted(row[4], _as_date(row[5]), _as_decimal(row[7]), _as_date(row[6]), row[2], row[8], row[9], None)


_casts: dict[tuple, str] = {}


def _cast_null(model, name: str) -> str:
    key = (connection.vendor, model, name)
    if key not in _casts:
        _casts[key] = f"CAST(NULL AS {model._meta.get_field(name).cast_db_type(connection)})"
    return _casts[key]


def _skips_entries(score, day: date, vouched_today: bool) -> bool:
    """Whether _read's statement left out the passed-through entries of the subject with this stored score: the
    rule of is_fresh, with the nightly day the process assumed (the statement's own may be newer)."""
    return score.computed_on <= day and (vouched_today or score.valid_until is None or day < score.valid_until)


def _read(in_use: _InUse, subjects: list, day: date, *, pinned: bool) -> _Read:
    """One statement: the row of the version in use (pinned: that version's row whatever its state; otherwise the
    model's published version), and under it the stored scores of the subjects it scores, their own entries, and,
    where an indicator passes through, the entries of the organisations a person represents for those persons
    without a score good for `day` by the rule of is_fresh (a large organisation may have thousands; a person's
    own are few, and reading them always keeps the statement cheap to plan)."""
    model = in_use.model
    version = model.version
    vouched_today = in_use.vouched == day
    run, score_t = NightlyRun._meta.db_table, Score._meta.db_table
    entry_t, subject_t = Entry._meta.db_table, Subject._meta.db_table
    text = _cast_null(Entry, "description")  # the columns: tag, target, via, id, text, date, date, number, text, id
    big = _cast_null(Entry, "violation_id")
    sql = (f"SELECT 'v', v.id, {big}, {big}, {_published_at()}, {_VOUCHED.format(run=run)}, "  # nosec B608
           f"{_cast_null(Entry, 'ends_on')}, {_cast_null(Score, 'points')}, {text}, {big} "
           f"FROM {ModelVersion._meta.db_table} v WHERE ")
    if pinned:
        sql += "v.id = %s"
        params: list = [version.pk]
    else:
        sql += "v.model_id = %s AND v.state = 'published'"
        params = [version.model_id]
    scope = [s for s in subjects if version.applies_to(s.kind)]
    if scope:
        ids = [s.pk for s in scope]
        a_day = connection.ops.adapt_datefield_value(day)
        good = "f.computed_on <= %s" + ("" if vouched_today else " AND (f.valid_until IS NULL OR f.valid_until > %s)")
        good_params = [a_day] if vouched_today else [a_day, a_day]

        def no_good_score(target: str) -> str:
            return (f"NOT EXISTS (SELECT 1 FROM {score_t} f WHERE f.version_id = %s AND f.subject_id = {target} "
                    f"AND {good})")

        sql += (f" UNION ALL SELECT 's', s.subject_id, NULL, s.id, s.grade, s.computed_on, s.valid_until, s.points, "
                f"NULL, NULL FROM {score_t} s WHERE s.version_id = %s AND s.subject_id IN ({_in(ids)})")
        params += [version.pk, *ids]
        sql += (" UNION ALL SELECT 'e', e.subject_id, NULL, e.id, e.source, e.occurred_on, e.ends_on, e.quantity, "
                f"e.description, e.violation_id FROM {entry_t} e WHERE e.subject_id IN ({_in(ids)}) "
                "AND e.withdrawn_at IS NULL")
        params += ids
        persons = [s.pk for s in scope if s.is_person] if model.passes_through else []
        if persons:
            sql += (" UNION ALL SELECT 'e', o.legal_representative_id, e.subject_id, e.id, e.source, e.occurred_on, "
                    f"e.ends_on, e.quantity, e.description, e.violation_id FROM {entry_t} e JOIN {subject_t} o "
                    f"ON o.id = e.subject_id WHERE o.legal_representative_id IN ({_in(persons)}) "
                    f"AND e.withdrawn_at IS NULL AND {no_good_score('o.legal_representative_id')}")
            params += [*persons, version.pk, *good_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    read = _Read(key=(None, None, None), vouched=None, scope=scope, scores={}, entries={s.pk: [] for s in scope})
    for row in rows:
        tag = row[0]
        if tag == "e":
            read.entries[row[1]].append(_entry(row))
        elif tag == "s":
            read.scores[row[1]] = Score(id=row[3], subject_id=row[1], version=version, grade=row[4],
                                        computed_on=_as_date(row[5]), valid_until=_as_date(row[6]),
                                        points=_as_decimal(row[7]))
        else:
            read.key, read.vouched = (row[1], row[4], row[5]), _as_date(row[5])
    return read


def _entries_of(subjects: list, passes_through: bool) -> dict[int, list[_Counted]]:
    """Own entries and, where an indicator passes through, those of the organisations each person represents:
    one query. Only for subjects whose passed-through entries _read's statement left out although is_fresh wants
    them (the process's nightly day turned out wrong)."""
    ids = [s.pk for s in subjects]
    persons = [s.pk for s in subjects if s.is_person] if passes_through else []
    entry, subject = Entry._meta.db_table, Subject._meta.db_table
    columns = "e.id, e.source, e.occurred_on, e.ends_on, e.quantity, e.description, e.violation_id"
    sql = (f"SELECT 'e', e.subject_id, NULL, {columns} FROM {entry} e WHERE e.subject_id IN ({_in(ids)}) "  # nosec B608
           "AND e.withdrawn_at IS NULL")
    params = list(ids)
    if persons:
        sql += (f" UNION ALL SELECT 'e', s.legal_representative_id, s.id, {columns} FROM {entry} e JOIN {subject} s "
                f"ON s.id = e.subject_id WHERE s.legal_representative_id IN ({_in(persons)}) "
                "AND e.withdrawn_at IS NULL")
        params += persons
    found: dict[int, list[_Counted]] = {pk: [] for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            found[row[1]].append(_entry(row))
    return found


def _grades(in_use: _InUse, read: _Read, day: date, imported: dict) -> dict[int, ComputedGrade]:
    model = in_use.model
    version = model.version
    scores = {pk: score for pk, score in read.scores.items() if is_fresh(score, day, read.vouched)}
    missing = [s for s in read.scope if s.pk not in scores]
    if missing:
        entries = read.entries
        vouched_today = in_use.vouched == day
        left_out = [s for s in missing if model.passes_through and s.is_person and s.pk in read.scores
                    and _skips_entries(read.scores[s.pk], day, vouched_today)]
        if left_out:
            entries.update(_entries_of(left_out, model.passes_through))
        for subject in missing:
            grade = imported.get(subject.pk)
            result = compute(version, kind=subject.kind, day=day, imported_grade=grade.grade if grade else None,
                             entries=entries[subject.pk], indicators=model.indicators, bands=model.bands)
            if result is not None:  # read path: computed, not stored (events and the nightly run store)
                scores[subject.pk] = Score(subject_id=subject.pk, version=version, points=result.points,
                                           grade=result.grade, computed_on=day, valid_until=result.valid_until)
    found: dict[int, ComputedGrade] = {}
    for subject in read.scope:
        score = scores.get(subject.pk)
        if score is None:
            continue
        found[subject.pk] = ComputedGrade(
            pk=score.pk, grade=score.grade, assessed_on=score.computed_on, points=Decimal(score.points),
            version_id=version.pk, source=f"{version.model.name} v{version.number} · {score.points}")
    return found


def computed_grades(subjects: list, at: datetime, imported: dict) -> dict[int, ComputedGrade]:
    """approvals.ports.grade_providers: {subject pk: computed grade} for the subjects the model scores, from the
    imported grades approvals already looked up ({subject pk: CreditGrade}). A stored score not good for the day
    (an entry's period ended since), or none yet, is computed from the entries and used without being stored:
    the events and the nightly run store. One query per check (per 300 subjects) while the version in use and
    its nightly day stay as this process last found them; see _assumed."""
    code = settings.CREDIT_EVALUATION_MODEL
    if not code:
        return {}
    day = timezone.localdate(at)
    in_use = _assumed.get(code)
    if in_use is None or in_use.model is None:  # first check here, or no version was published: look again
        in_use = _assumed[code] = _resolve(code)
        if in_use.model is None:
            return {}
        read = _read(in_use, subjects[:_BATCH], day, pinned=True)
    else:
        read = _read(in_use, subjects[:_BATCH], day, pinned=False)
        if read.key != in_use.key:  # retired, replaced, or a nightly run finished: read again under the one in use
            in_use = _assumed[code] = _resolve(code)
            if in_use.model is None:
                return {}
            read = _read(in_use, subjects[:_BATCH], day, pinned=True)
    found = _grades(in_use, read, day, imported)
    for start in range(_BATCH, len(subjects), _BATCH):  # the rest under the same version
        found.update(_grades(in_use, _read(in_use, subjects[start:start + _BATCH], day, pinned=True), day, imported))
    return found


def _score_rows(check, facts) -> list:
    rows = []
    for f in facts:
        grade = f.grade
        computed = getattr(grade, "computed", False)
        rows.append(CheckScore(credit_check=check, subject=f.subject, role=f.role,
                               version_id=grade.version_id if computed else None,
                               points=grade.points if computed else None,
                               grade=grade.grade if grade is not None else "", imported=not computed))
    return rows


def record_check(check, facts) -> None:
    """approvals.ports.credit_check_listeners: which score (or imported grade) the check saw, per subject."""
    CheckScore.objects.bulk_create(_score_rows(check, facts), ignore_conflicts=True)


def record_checks(seen: list) -> None:
    """record_check for many checks at once ([(check, facts)], a package's chunk): one INSERT."""
    CheckScore.objects.bulk_create([row for check, facts in seen for row in _score_rows(check, facts)],
                                   ignore_conflicts=True, batch_size=1000)


record_check.many = record_checks
