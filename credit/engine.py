"""The arithmetic of a model version, twice: `explain` (Python, one subject, with every line shown) for the
incremental path and the explanation pages, and `score_sql` (one set-based statement) for the nightly run.
tests/credit/test_incremental_equals_nightly.py holds them to the same result.

An entry counts on day D under an indicator when it is not withdrawn, it happened on or before D, its own end
(ends_on) is after D, D is before the date the repair period ends (entry date + repair_months: on that date it
stops counting) and, for a maturing indicator, D is on or after entry date + matures_months. Per indicator:
quantity × points, summed, up to the cap. The score: base + positives − deductions + min(repair credit,
deductions). The grade: the band whose [lower, upper) holds the score."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from .models import GradeBand, Indicator, ModelVersion, Source

CENT = Decimal("0.01")


def q2(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def last_date_not_after(day: date, months: int) -> date:
    """The latest d with d + months <= day (d + months is monotone in d, so `d + months > day` iff d is
    after it): lets SQL compare entry dates with one bound instead of adding months per row."""
    d = day - relativedelta(months=months)
    while add_months(d + timedelta(days=1), months) <= day:
        d += timedelta(days=1)
    while add_months(d, months) > day:
        d -= timedelta(days=1)
    return d


@dataclass
class Line:
    indicator: Indicator
    source: str
    occurred_on: date | None
    quantity: Decimal
    points: Decimal  # signed, before the cap
    counts: bool
    ends_on: date | None = None  # when it stops counting (None: it does not stop by itself)
    starts_on: date | None = None  # a maturing indicator: when it starts counting
    description: str = ""
    entry: object = None
    via: object = None  # the organisation it passed through from (穿透)
    violation_id: int | None = None


@dataclass
class IndicatorTotal:
    indicator: Indicator
    raw: Decimal
    points: Decimal  # signed, after the cap
    capped: bool


@dataclass
class Explanation:
    version: ModelVersion
    day: date
    base: Decimal
    lines: list[Line] = field(default_factory=list)
    totals: list[IndicatorTotal] = field(default_factory=list)
    positives: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    repair_offered: Decimal = Decimal(0)
    repair_used: Decimal = Decimal(0)
    points: Decimal = Decimal(0)
    grade: str = ""
    band: GradeBand | None = None
    valid_until: date | None = None
    imported_grade: str | None = None


def band_for(bands: list[GradeBand], points: Decimal) -> GradeBand:
    for band in sorted(bands, key=lambda b: (b.lower is None, -(b.lower or 0))):
        if (band.lower is None or points >= band.lower) and (band.upper is None or points < band.upper):
            return band
    return sorted(bands, key=lambda b: b.lower if b.lower is not None else Decimal("-1e12"))[0]


def _window(entry_on: date, ends_on: date | None, indicator: Indicator) -> tuple[date | None, date | None]:
    """(starts counting, stops counting) of an entry under an indicator."""
    start = add_months(entry_on, indicator.matures_months) if indicator.matures_months else entry_on
    stops = [d for d in (ends_on, add_months(entry_on, indicator.repair_months) if indicator.repair_months else None)
             if d is not None]
    return start, min(stops) if stops else None


def compute(version: ModelVersion, *, kind: str, day: date, imported_grade: str | None, entries: list,
            indicators: list[Indicator] | None = None, bands: list[GradeBand] | None = None) -> Explanation | None:
    """entries: objects with source, occurred_on, quantity, ends_on, and `via` (the organisation an entry
    passed through from, or None), already filtered to the subject (own and passed through), not withdrawn."""
    if not version.applies_to(kind):
        return None
    if version.requires_imported and not imported_grade:
        return None
    indicators = indicators if indicators is not None else list(version.indicators.all())
    bands = bands if bands is not None else list(version.bands.all())
    result = Explanation(version=version, day=day, base=Decimal(version.base_points), imported_grade=imported_grade)
    changes: list[date] = []
    raw: dict[int, Decimal] = {i.pk: Decimal(0) for i in indicators}
    for indicator in indicators:
        if not indicator.applies_to(kind):
            continue
        sign = -1 if indicator.negative else 1
        if indicator.source == Source.IMPORTED:
            if imported_grade and imported_grade in (version.imported_scores or {}):
                quantity = Decimal(str(version.imported_scores[imported_grade]))
                points = quantity * indicator.points
                raw[indicator.pk] += points
                result.lines.append(Line(indicator=indicator, source=Source.IMPORTED, occurred_on=None,
                                         quantity=quantity, points=sign * points, counts=True,
                                         description=imported_grade))
            continue
        for entry in entries:
            if entry.source != indicator.source:
                continue
            if entry.via is not None and not indicator.pass_through:
                continue
            start, stop = _window(entry.occurred_on, entry.ends_on, indicator)
            counts = entry.occurred_on <= day and start <= day and (stop is None or day < stop)
            for d in (start, stop, entry.occurred_on):
                if d is not None and d > day:
                    changes.append(d)
            points = Decimal(entry.quantity) * indicator.points
            if counts:
                raw[indicator.pk] += points
            result.lines.append(Line(
                indicator=indicator, source=entry.source, occurred_on=entry.occurred_on,
                quantity=Decimal(entry.quantity), points=sign * points, counts=counts, ends_on=stop,
                starts_on=start if indicator.matures_months else None,
                description=getattr(entry, "description", ""), entry=entry, via=entry.via,
                violation_id=getattr(entry, "violation_id", None)))
    for indicator in indicators:
        if not indicator.applies_to(kind):
            continue
        value = raw[indicator.pk]
        capped = indicator.cap is not None and value > indicator.cap
        if capped:
            value = Decimal(indicator.cap)
        total = IndicatorTotal(indicator=indicator, raw=raw[indicator.pk],
                               points=-value if indicator.negative else value, capped=capped)
        result.totals.append(total)
        if indicator.offsets_only:
            result.repair_offered += value
        elif indicator.negative:
            result.deductions += value
        else:
            result.positives += value
    result.repair_used = min(result.repair_offered, result.deductions)
    result.points = q2(result.base + result.positives - result.deductions + result.repair_used)
    result.band = band_for(bands, result.points)
    result.grade = result.band.grade
    result.valid_until = min(changes) if changes else None
    return result


def _sql_bool(value: bool) -> str:
    return "1=1" if value else "1=0"


def score_sql(version: ModelVersion, day: date, *, vendor: str, tables: dict[str, str],
              subject_ids: list[int] | None = None) -> tuple[str, list]:
    """SELECT subject_id, points, grade for every subject the version applies to on `day`: one scan of the
    entries (own and passed through), grouped by subject with one conditional sum per indicator; the latest
    imported grade per subject by a window function. `tables`: db_table of entry, subject, grade."""
    indicators = [i for i in version.indicators.all()]
    bands = list(version.bands.all())
    params: list = []
    entry_inds = [i for i in indicators if i.source != Source.IMPORTED]
    sums = []
    for n, ind in enumerate(entry_inds):
        conditions = ["e.source = %s"]
        params_i: list = [ind.source]
        if ind.repair_months:
            conditions.append("e.occurred_on > %s")
            params_i.append(last_date_not_after(day, ind.repair_months))
        if ind.matures_months:
            conditions.append("e.occurred_on <= %s")
            params_i.append(last_date_not_after(day, ind.matures_months))
        if not ind.pass_through:
            conditions.append("e.via = 0")
        sums.append(f"SUM(CASE WHEN {' AND '.join(conditions)} THEN e.quantity ELSE 0 END) AS q{n}")
        params.extend(params_i)
    where_subject = ""
    subject_params: list = []
    if subject_ids is not None:
        marks = ", ".join(["%s"] * len(subject_ids))
        where_subject = f" AND t.id IN ({marks})"
        subject_params = list(subject_ids)
    # entries of the day: own (via 0) and an organisation's passed to its legal representative (via 1)
    entries_sql = (
        f"SELECT e.subject_id AS target_id, 0 AS via, e.source, e.occurred_on, e.quantity FROM {tables['entry']} e "
        "WHERE e.withdrawn_at IS NULL AND e.occurred_on <= %s AND (e.ends_on IS NULL OR e.ends_on > %s)"
    )
    passed = [i.source for i in entry_inds if i.pass_through]
    entry_params: list = [day, day]
    if passed:
        marks = ", ".join(["%s"] * len(passed))
        entries_sql += (
            f" UNION ALL SELECT s.legal_representative_id, 1, e.source, e.occurred_on, e.quantity "
            f"FROM {tables['entry']} e JOIN {tables['subject']} s ON s.id = e.subject_id "
            "WHERE s.legal_representative_id IS NOT NULL AND e.withdrawn_at IS NULL AND e.occurred_on <= %s "
            f"AND (e.ends_on IS NULL OR e.ends_on > %s) AND e.source IN ({marks})"
        )
        entry_params += [day, day, *passed]
    if subject_ids is not None:
        entries_sql = f"SELECT * FROM ({entries_sql}) x WHERE x.target_id IN ({', '.join(['%s'] * len(subject_ids))})"
        entry_params += list(subject_ids)
    agg_cols = ", ".join(sums) if sums else "0 AS q_none"
    agg_sql = f"SELECT e.target_id, {agg_cols} FROM ({entries_sql}) e GROUP BY e.target_id"
    grade_sql = (
        f"SELECT g.subject_id, g.grade FROM (SELECT subject_id, grade, ROW_NUMBER() OVER (PARTITION BY subject_id "
        f"ORDER BY assessed_on DESC, id DESC) AS rn FROM {tables['grade']} WHERE assessed_on <= %s) g WHERE g.rn = 1"
    )
    if vendor == "postgresql":  # the same, without sorting every grade row
        grade_sql = (f"SELECT DISTINCT ON (subject_id) subject_id, grade FROM {tables['grade']} WHERE assessed_on <= %s "
                     "ORDER BY subject_id, assessed_on DESC, id DESC")
    kinds = []
    if version.applies_to_person:
        kinds.append("person")
    if version.applies_to_organisation:
        kinds.append("organisation")

    def capped(expr: str, cap) -> str:
        if cap is None:
            return f"({expr})"
        return f"(CASE WHEN ({expr}) > {Decimal(cap)} THEN {Decimal(cap)} ELSE ({expr}) END)"

    pos, neg, rep = [], [], []
    imported_scores = version.imported_scores or {}
    for ind in indicators:
        applies = []
        if ind.for_person:
            applies.append("t.kind = 'person'")
        if ind.for_organisation:
            applies.append("t.kind = 'organisation'")
        if not applies:
            continue
        if ind.source == Source.IMPORTED:
            cases = " ".join(f"WHEN '{g}' THEN {Decimal(str(v))}" for g, v in sorted(imported_scores.items())
                             if g in "ABCD")
            base = f"(CASE ig.grade {cases} ELSE 0 END) * {Decimal(ind.points)}" if cases else "0"
        else:
            base = f"COALESCE(a.q{entry_inds.index(ind)}, 0) * {Decimal(ind.points)}"
        expr = f"(CASE WHEN {' OR '.join(applies)} THEN {capped(base, ind.cap)} ELSE 0 END)"
        (rep if ind.offsets_only else neg if ind.negative else pos).append(expr)
    pos_sql = " + ".join(pos) or "0"
    neg_sql = " + ".join(neg) or "0"
    rep_sql = " + ".join(rep) or "0"
    grade_case = []
    for band in sorted(bands, key=lambda b: (b.lower is None, -(b.lower or 0))):
        if band.lower is None:
            grade_case.append(f"ELSE '{band.grade}'")
        else:
            grade_case.append(f"WHEN s.points >= {Decimal(band.lower)} THEN '{band.grade}'")
    if not any(c.startswith("ELSE") for c in grade_case):
        lowest = min(bands, key=lambda b: b.lower)
        grade_case.append(f"ELSE '{lowest.grade}'")
    kind_marks = ", ".join(["%s"] * len(kinds)) or "NULL"
    join_grade = "JOIN" if version.requires_imported else "LEFT JOIN"
    sql = (
        f"SELECT s.subject_id, s.points, CASE {' '.join(grade_case)} END AS grade FROM ("
        f"SELECT t.id AS subject_id, ROUND({Decimal(version.base_points)} + ({pos_sql}) - ({neg_sql}) + "
        f"(CASE WHEN ({rep_sql}) < ({neg_sql}) THEN ({rep_sql}) ELSE ({neg_sql}) END), 2) AS points "
        f"FROM {tables['subject']} t "
        f"{join_grade} ({grade_sql}) ig ON ig.subject_id = t.id "
        f"LEFT JOIN ({agg_sql}) a ON a.target_id = t.id "
        f"WHERE t.kind IN ({kind_marks}){where_subject}) s"
    )
    # the order of the placeholders in the text: the imported grade (day), the sums, the entries, the kinds
    all_params = [day] + params + entry_params + kinds + subject_params
    return sql, all_params
