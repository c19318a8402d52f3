"""What the credit check looks at for one subject: grade, the dishonest list, restrictions; for an
organisation its legal representative too (穿透, seed 001)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ..ports import grade_providers, restriction_lookups
from ..models import CreditGrade, DishonestEntry, Subject


@dataclass
class SubjectCreditFacts:
    subject: Subject
    role: str  # "subject" | "legal_representative"
    grade: CreditGrade | None
    dishonest: list[DishonestEntry] = field(default_factory=list)
    restrictions: list = field(default_factory=list)


def current_grade(subject: Subject, at: datetime | None = None) -> CreditGrade | None:
    at = at or timezone.now()
    return subject.grades.filter(assessed_on__lte=timezone.localdate(at)).order_by("-assessed_on", "-pk").first()


def current_grades(subject_ids, at: datetime | None = None) -> dict[int, CreditGrade]:
    """current_grade for many subjects in one query: {subject pk: grade}, without the ungraded."""
    day = timezone.localdate(at or timezone.now())
    found: dict[int, CreditGrade] = {}
    for grade in (CreditGrade.objects.filter(subject_id__in=set(subject_ids), assessed_on__lte=day)
                  .order_by("subject_id", "-assessed_on", "-pk")):
        found.setdefault(grade.subject_id, grade)  # the first of each subject is its latest
    return found


def dishonest_entries(number: str, at: datetime | None = None) -> list[DishonestEntry]:
    day = timezone.localdate(at or timezone.now())
    return list(
        DishonestEntry.objects.filter(number=number, listed_on__lte=day).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=day)
        )
    )


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


# One statement for both of approvals' own sources (the imported grades by subject, the dishonest list by number):
# each row tagged, the two tables' columns side by side at these places (place: 1-based after the tag), so both
# models are built from one round trip. Raw SQL read through the fields' own converters (as the ORM would).
_GRADE_PLACES = {"id": 1, "subject_id": 2, "grade": 3, "source": 4, "assessed_on": 8, "recorded_at": 10}
_DISHONEST_PLACES = {"id": 1, "source_import_id": 2, "list_name": 3, "number": 4, "name": 5, "reason": 6,
                     "authority": 7, "listed_on": 8, "removed_on": 9}
_WIDTH = 10
_readers: dict[str, tuple] = {}


def _reader(model, places: dict[str, int]) -> tuple[list[str], list[tuple]]:
    """(the model's concrete fields' attnames, [(place, column, converters)] in that order) for this vendor."""
    key = f"{connection.vendor}:{model._meta.label}"
    if key not in _readers:
        names, columns = [], []
        for f in model._meta.concrete_fields:  # a field missing from `places` fails here, loudly
            col = f.get_col(model._meta.db_table)
            names.append(f.attname)
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            columns.append((places[f.attname], col, converters))
        _readers[key] = names, columns
    return _readers[key]


def _build(model, places: dict[str, int], row):
    names, columns = _reader(model, places)
    values = []
    for place, col, converters in columns:
        value = row[place]
        for convert in converters:
            value = convert(value, col, connection)
        values.append(value)
    return model.from_db(connection.alias, names, values)


def model_columns(model) -> str:
    """The model's concrete columns in field order, quoted, for raw SQL read with rows_as_models."""
    return ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def rows_as_models(model, sql: str, params) -> list:
    """Instances of `model` from raw SQL selecting model_columns(model) first: what Model.objects.raw gives,
    without its per-query mapping of the columns to the fields (a third of the time of a one-row read on the
    credit check's path, which every application takes)."""
    places = {f.attname: place for place, f in enumerate(model._meta.concrete_fields)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_build(model, places, row) for row in cursor.fetchall()]


def _select(model, places: dict[str, int], alias: str, cast: bool) -> str:
    """The model's columns at their places; NULL elsewhere (typed in the first branch, for PostgreSQL's UNION)."""
    by_place = {place: name for name, place in places.items()}
    other, theirs = (DishonestEntry, _DISHONEST_PLACES) if model is CreditGrade else (CreditGrade, _GRADE_PLACES)
    other_places = {place: name for name, place in theirs.items()}
    cells = []
    for place in range(1, _WIDTH + 1):
        if place in by_place:
            cells.append(f"{alias}.{connection.ops.quote_name(model._meta.get_field(by_place[place]).column)}")
        elif cast and place in other_places:
            cells.append(f"CAST(NULL AS {other._meta.get_field(other_places[place]).cast_db_type(connection)})")
        else:
            cells.append("NULL")
    return ", ".join(cells)


_statements: dict[str, str] = {}


def _grades_and_dishonest(subject_ids: list[int], numbers: list[str], day
                          ) -> tuple[dict[int, CreditGrade], dict[str, list[DishonestEntry]]]:
    """Each subject's latest grade assessed on or before `day`, and the dishonest-list entries in force on `day`
    by number: one statement. Raw SQL: this is the hot path of every application (逢办必查), and the ORM's
    query building cost more than the query itself."""
    key = connection.vendor
    if key not in _statements:
        _statements[key] = (
            f"SELECT 'g', {_select(CreditGrade, _GRADE_PLACES, 'g', True)} FROM {CreditGrade._meta.db_table} g "
            "WHERE g.subject_id IN ({subjects}) AND g.assessed_on <= %s UNION ALL "
            f"SELECT 'd', {_select(DishonestEntry, _DISHONEST_PLACES, 'd', False)} "
            f"FROM {DishonestEntry._meta.db_table} d "
            "WHERE d.number IN ({numbers}) AND d.listed_on <= %s AND (d.removed_on IS NULL OR d.removed_on > %s)")
    a_day = connection.ops.adapt_datefield_value(day)
    sql = _statements[key].format(subjects=_in(subject_ids), numbers=_in(numbers))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*subject_ids, a_day, *numbers, a_day, a_day])
        rows = cursor.fetchall()
    latest: dict[int, CreditGrade] = {}
    listed: list[DishonestEntry] = []
    for row in rows:
        if row[0] == "g":
            grade = _build(CreditGrade, _GRADE_PLACES, row)
            held = latest.get(grade.subject_id)
            if held is None or (grade.assessed_on, grade.pk) > (held.assessed_on, held.pk):
                latest[grade.subject_id] = grade
        else:
            listed.append(_build(DishonestEntry, _DISHONEST_PLACES, row))
    found: dict[str, list[DishonestEntry]] = {}
    for entry in sorted(listed, key=lambda e: (e.listed_on, e.pk), reverse=True):
        found.setdefault(entry.number, []).append(entry)
    return latest, found


def _chunks(values: list, size: int = 400):
    for start in range(0, len(values), size):  # SQLite allows 999 parameters per query
        yield values[start:start + size]


def credit_facts_for(subjects: list[Subject], at: datetime | None = None) -> dict[int, list[SubjectCreditFacts]]:
    """Facts for many subjects at once (a package): {subject pk: [the subject's facts, its legal
    representative's facts]}; one query for approvals' own sources (grades, dishonest list) and one per port
    per chunk."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    people = {s.pk: s for s in subjects}
    for s in subjects:
        if s.legal_representative_id:
            people[s.legal_representative_id] = s.legal_representative
    everyone = list(people.values())
    grades: dict[int, CreditGrade] = {}
    dishonest: dict[str, list[DishonestEntry]] = {}
    restrictions: dict[int, list] = {}
    for chunk in _chunks(everyone):
        found_grades, found_dishonest = _grades_and_dishonest([s.pk for s in chunk], [s.number for s in chunk], day)
        grades.update(found_grades)
        dishonest.update(found_dishonest)
        for lookup in restriction_lookups:
            for pk, found in lookup(chunk, at).items():
                restrictions.setdefault(pk, []).extend(found)
        for provider in grade_providers:  # a computed grade (credit) where a model applies; imported otherwise
            grades.update(provider(chunk, at, grades))

    def facts(s: Subject, role: str) -> SubjectCreditFacts:
        return SubjectCreditFacts(subject=s, role=role, grade=grades.get(s.pk), dishonest=dishonest.get(s.number, []),
                                  restrictions=restrictions.get(s.pk, []))

    return {
        s.pk: [facts(s, "subject")]
        + ([facts(s.legal_representative, "legal_representative")] if s.legal_representative_id else [])
        for s in subjects
    }


def credit_facts(subject: Subject, at: datetime | None = None) -> list[SubjectCreditFacts]:
    """Facts for the subject and, for an organisation, its legal representative (穿透): see credit_facts_for."""
    return credit_facts_for([subject], at)[subject.pk]
