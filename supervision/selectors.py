"""The supervisor's figures (issue 10) and, for each, the records it counts.

Every figure has a name; `records(name, filters, key)` is the queryset of exactly the records the figure
counts (its drill-down), and the dashboard's number is read from the summaries (supervision.models) that
sum the same facts, so the two reconcile as long as the summaries are fresh (refreshed by Celery beat).
Application figures count an application once under "all", once in each department and once for each
matter it applies for; they are by the day the application was received (submitted)."""

import math
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import Application, ApplicationMatter, Channel, CreditCheck, Matter, Mode, Subject
from inspections.models import Obligation, ObligationState
from sanctions.models import (
    Level as ViolationLevel, Objection, ObjectionState, Repair, RepairState, Restriction, RestrictionState,
    Violation, ViolationKind,
)

from .models import ApplicationFigure, DecisionTime, Level, ObligationFigure, Refresh
from .services import COUNTERS, WorkingCalendar

MODES = [(Mode.GREEN.value, _("green channel")), (Mode.COMMITMENT.value, _("notify and commit")),
         (Mode.LENIENT.value, _("lenient acceptance")), (Mode.STANDARD.value, _("standard review")),
         ("", _("no mode chosen yet"))]
DONE_STATES = [ObligationState.COMPLIANT, ObligationState.NON_COMPLIANT]


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    department: str = ""
    matter_id: int | None = None
    channel: str = ""

    def as_query(self) -> dict:
        query = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.department:
            query["department"] = self.department
        if self.matter_id:
            query["matter"] = str(self.matter_id)
        if self.channel:
            query["channel"] = self.channel
        return query

    @property
    def channel_label(self) -> str:
        """The channel as users read it (窗口办理), not its code."""
        return dict(Channel.choices).get(self.channel, self.channel)

    @property
    def window(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes, [start 00:00, the day after end 00:00) local time."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))


def departments() -> list[str]:
    return list(Matter.objects.order_by("department").values_list("department", flat=True).distinct())


def matters() -> list[Matter]:
    return list(Matter.objects.order_by("department", "code"))


def ratio(part, whole):
    return None if not whole else part / whole


def percentile(counts: list[tuple[int, int]], p: float):
    """Nearest rank: the smallest value with at least p of the observations at or below it."""
    total = sum(n for _v, n in counts)
    if not total:
        return None
    rank, seen = max(1, math.ceil(p * total)), 0
    for value, n in sorted(counts):
        seen += n
        if seen >= rank:
            return value
    return None


# ---- summaries (the dashboard's numbers) ----

def _level_rows(model, f: Filters, day_field: str = "day") -> QuerySet:
    rows = model.objects.filter(**{f"{day_field}__gte": f.start, f"{day_field}__lte": f.end})
    if f.matter_id:
        rows = rows.filter(level=Level.MATTER, matter_id=f.matter_id)
        if f.department:
            rows = rows.filter(department=f.department)
    elif f.department:
        rows = rows.filter(level=Level.DEPARTMENT, department=f.department)
    else:
        rows = rows.filter(level=Level.ALL)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    return rows


def _sums(rows) -> dict:
    totals = rows.aggregate(**{name: Sum(name) for name in COUNTERS})
    return {name: totals[name] or 0 for name in COUNTERS}


def application_summary(f: Filters) -> dict:
    rows = _level_rows(ApplicationFigure, f)
    totals = _sums(rows)
    modes = dict(rows.values_list("mode").annotate(n=Sum("received")).order_by())
    merged: dict[int, int] = defaultdict(int)
    for histogram in _level_rows(DecisionTime, f).values_list("histogram", flat=True):
        for minutes, n in histogram.items():
            merged[int(minutes)] += n
    times = list(merged.items())
    measured = sum(n for _m, n in times)
    return {
        **totals,
        "modes": [(value, label, modes.get(value, 0), ratio(modes.get(value, 0), totals["received"]))
                  for value, label in MODES],
        "measured": measured,
        "median_minutes": percentile(times, 0.5),
        "p90_minutes": percentile(times, 0.9),
    }


def timeline(f: Filters) -> list[dict]:
    """Received and finished per day, week or month (by the length of the period)."""
    span = (f.end - f.start).days + 1
    step = "day" if span <= 45 else "week" if span <= 200 else "month"

    def start_of(day: date) -> date:
        if step == "week":
            return day - timedelta(days=day.weekday())
        if step == "month":
            return day.replace(day=1)
        return day

    buckets: OrderedDict[date, dict] = OrderedDict()
    day = start_of(f.start)
    while day <= f.end:
        buckets.setdefault(start_of(day), {"start": start_of(day), "received": 0, "finished": 0, "step": step})
        day += timedelta(days=1)
    for day, received, finished in (_level_rows(ApplicationFigure, f).values_list("day")
                                    .annotate(r=Sum("received"), d=Sum("finished")).order_by()):
        bucket = buckets[start_of(day)]
        bucket["received"] += received
        bucket["finished"] += finished
    return list(buckets.values())


def by_dimension(f: Filters, dimension: str) -> list[dict]:
    """The application figures per matter, department or channel within the filters."""
    if dimension == "matter":
        rows = ApplicationFigure.objects.filter(day__gte=f.start, day__lte=f.end, level=Level.MATTER)
        if f.matter_id:
            rows = rows.filter(matter_id=f.matter_id)
        if f.department:
            rows = rows.filter(department=f.department)
        if f.channel:
            rows = rows.filter(channel=f.channel)
        group = "matter_id"
    elif dimension == "department":
        rows = ApplicationFigure.objects.filter(day__gte=f.start, day__lte=f.end, level=Level.DEPARTMENT)
        if f.department:
            rows = rows.filter(department=f.department)
        if f.channel:
            rows = rows.filter(channel=f.channel)
        if f.matter_id:  # the department of the chosen matter, counting only that matter's applications
            rows = ApplicationFigure.objects.filter(day__gte=f.start, day__lte=f.end, level=Level.MATTER,
                                                    matter_id=f.matter_id)
            if f.channel:
                rows = rows.filter(channel=f.channel)
            if f.department:
                rows = rows.filter(department=f.department)
        group = "department"
    else:
        rows, group = _level_rows(ApplicationFigure, f), "channel"
    names = {m.pk: m for m in Matter.objects.all()} if dimension == "matter" else {}
    channels = dict(Channel.choices)
    out = []
    for row in rows.values(group).annotate(**{n: Sum(n) for n in COUNTERS}).order_by(group):
        key = row[group]
        label = (str(names[key].name) if dimension == "matter" else channels.get(key, key) if dimension == "channel"
                 else key)
        narrowed = {"matter": {"matter_id": key, "department": f.department},
                    "department": {"department": key}, "channel": {"channel": key}}[dimension]
        out.append({"key": key, "label": label, "code": names[key].code if dimension == "matter" else "",
                    "filters": Filters(**{**f.__dict__, **narrowed}), **{n: row[n] for n in COUNTERS},
                    "on_the_spot_share": ratio(row["on_the_spot"], row["received"]),
                    "same_day_share": ratio(row["same_day"], row["received"]),
                    "within_limit_share": ratio(row["within_limit"], row["finished"])})
    return out


def _obligation_period(f: Filters) -> Q:
    """Due in the period and by today, or already concluded (a check done before its due date counts)."""
    return Q(due_on__gte=f.start, due_on__lte=f.end) & (Q(due_on__lte=timezone.localdate()) | Q(state__in=DONE_STATES))


def _obligation_rows(f: Filters) -> QuerySet:
    rows = ObligationFigure.objects.filter(_obligation_period(f))
    if f.matter_id:
        rows = rows.filter(matter_id=f.matter_id)
    if f.department:
        rows = rows.filter(department=f.department)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    return rows


def verification_summary(f: Filters) -> dict:
    by_state = dict(_obligation_rows(f).values_list("state").annotate(n=Sum("count")).order_by())
    due = sum(n for state, n in by_state.items() if state != ObligationState.NOT_SELECTED)
    done = sum(by_state.get(s, 0) for s in DONE_STATES)
    compliant = by_state.get(ObligationState.COMPLIANT, 0)
    return {"states": [(s.value, s.label, by_state.get(s.value, 0)) for s in ObligationState],
            "due": due, "done": done, "compliant": compliant,
            "coverage": ratio(done, due), "compliance": ratio(compliant, done)}


# ---- the records each figure counts (drill-downs; also what the sanctions figures are counted from) ----

def applications(f: Filters) -> QuerySet:
    rows = Application.objects.filter(supervision_fact__received_on__gte=f.start,
                                      supervision_fact__received_on__lte=f.end)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.matter_id or f.department:
        items = ApplicationMatter.objects.filter(application=OuterRef("pk"))
        if f.matter_id:
            items = items.filter(matter_version__matter_id=f.matter_id)
        if f.department:
            items = items.filter(matter_version__matter__department=f.department)
        rows = rows.filter(Exists(items))
    return rows


def obligations(f: Filters) -> QuerySet:
    rows = Obligation.objects.filter(_obligation_period(f))
    if f.matter_id:
        rows = rows.filter(licence__matter_id=f.matter_id)
    if f.department:
        rows = rows.filter(licence__matter__department=f.department)
    if f.channel:
        rows = rows.filter(licence__application_matter__application__channel=f.channel)
    return rows


def _by_application(model, f: Filters, application_field: str) -> QuerySet:
    rows = model.objects.all()
    if f.channel:
        rows = rows.filter(**{f"{application_field}__channel": f.channel})
    if f.matter_id or f.department:
        items = ApplicationMatter.objects.filter(application_id=OuterRef(f"{application_field}_id"))
        if f.matter_id:
            items = items.filter(matter_version__matter_id=f.matter_id)
        if f.department:
            items = items.filter(matter_version__matter__department=f.department)
        rows = rows.filter(Exists(items))
    return rows


def violations(f: Filters) -> QuerySet:
    start, end = f.window
    return _by_application(Violation, f, "application").filter(opened_at__gte=start, opened_at__lt=end)


def restrictions_active(f: Filters) -> QuerySet:
    """In force now (not bound to the period): active, started, not ended, not lifted."""
    now = timezone.now()
    rows = Restriction.objects.filter(state=RestrictionState.ACTIVE, starts_at__lte=now, ends_at__gt=now,
                                      lifted_at__isnull=True)
    if f.channel:
        rows = rows.filter(violation__application__channel=f.channel)
    if f.matter_id or f.department:
        items = ApplicationMatter.objects.filter(application_id=OuterRef("violation__application_id"))
        own = Q()
        if f.matter_id:
            items = items.filter(matter_version__matter_id=f.matter_id)
            own &= Q(matter_id=f.matter_id)
        if f.department:
            items = items.filter(matter_version__matter__department=f.department)
            own &= Q(matter__department=f.department)
        # only restrictions on one matter or from a case can match: the cheap test first
        rows = rows.filter(Q(matter__isnull=False) | Q(violation__application__isnull=False))
        rows = rows.filter(Q(Exists(items)) | own) if not f.channel else rows.filter(Exists(items))
    return rows


def key_targets(f: Filters) -> QuerySet:
    """Subjects under key supervision: with an active restriction (within the filters) marked so."""
    return Subject.objects.filter(Exists(restrictions_active(f).filter(key_supervision=True,
                                                                       subject_id=OuterRef("pk"))))


def objections(f: Filters) -> QuerySet:
    start, end = f.window
    return _by_application(Objection, f, "violation__application").filter(filed_at__gte=start, filed_at__lt=end)


def repairs(f: Filters) -> QuerySet:
    start, end = f.window
    return _by_application(Repair, f, "violation__application").filter(filed_at__gte=start, filed_at__lt=end)


def _decision_days(rows) -> dict:
    calendar = WorkingCalendar()
    days = []
    for filed_at, decided_at in rows.filter(decided_at__isnull=False).values_list("filed_at", "decided_at"):
        d = calendar.days_between(timezone.localdate(filed_at), timezone.localdate(decided_at))
        if d is not None:
            days.append((d, 1))
    return {"median_days": percentile(days, 0.5), "p90_days": percentile(days, 0.9)}


def sanctions_summary(f: Filters) -> dict:
    cases = violations(f)
    kinds = {k.code: k.label for k in ViolationKind.objects.all()}
    by_kind = [(code, kinds.get(code, code), n)
               for code, n in cases.values_list("kind").annotate(n=Count("pk")).order_by("kind")]
    levels = dict(cases.values_list("level").annotate(n=Count("pk")).order_by())
    by_level = [(str(level.value), level.label, levels.get(level.value, 0)) for level in ViolationLevel]
    by_level.append(("none", _("not yet graded"), levels.get(None, 0)))
    objection_rows, repair_rows = objections(f), repairs(f)
    objection_states = dict(objection_rows.values_list("state").annotate(n=Count("pk")).order_by())
    repair_states = dict(repair_rows.values_list("state").annotate(n=Count("pk")).order_by())
    return {
        "violations": sum(n for *_r, n in by_kind), "by_kind": by_kind, "by_level": by_level,
        "restrictions_active": restrictions_active(f).count(),
        # the subjects of key_targets(f), counted from the restrictions (cheaper than a semi-join over subjects)
        "key_targets": restrictions_active(f).filter(key_supervision=True).values("subject_id").distinct().count(),
        "objections": {"filed": sum(objection_states.values()),
                       "states": [(s.value, s.label, objection_states.get(s.value, 0)) for s in ObjectionState],
                       **_decision_days(objection_rows)},
        "repairs": {"filed": sum(repair_states.values()),
                    "states": [(s.value, s.label, repair_states.get(s.value, 0)) for s in RepairState],
                    **_decision_days(repair_rows)},
    }


@dataclass
class Drill:
    kind: str  # which listing: application, check, obligation, violation, restriction, subject, objection, repair
    label: str
    rows: QuerySet = field(repr=False)


def records(name: str, f: Filters, key: str = "") -> Drill:
    """The records figure `name` (with `key`: the mode, state, kind or level) counts, within the filters."""
    apps = applications(f)
    facts = {
        "received": (_("applications received"), {}),
        "finished": (_("applications decided"), {"supervision_fact__finished_at__isnull": False}),
        "on_the_spot": (_("issued on the spot"), {"supervision_fact__on_the_spot": True}),
        "same_day": (_("finished the same day"), {"supervision_fact__same_day": True}),
        "within_limit": (_("finished within the statutory limit"), {"supervision_fact__within_limit": True}),
        "lenient": (_("lenient acceptances"), {"supervision_fact__lenient": True}),
        "supplements_complete": (_("lenient acceptances with every deferred material supplied"),
                                 {"supervision_fact__supplements_complete": True}),
        "entitlement_changed": (_("applications whose entitlement a credit look-up changed"),
                                {"supervision_fact__entitlement_changed": True}),
        "measured": (_("decisions with a measured working time"),
                     {"supervision_fact__working_minutes__isnull": False}),
    }
    if name in facts:
        label, lookups = facts[name]
        return Drill("application", label, apps.filter(**lookups))
    if name == "mode":
        labels = dict(MODES)
        if key not in labels:
            raise KeyError(name)
        return Drill("application", labels[key], apps.filter(supervision_fact__mode=key))
    if name == "credit_checks":
        return Drill("check", _("credit look-ups"), CreditCheck.objects.filter(application__in=apps.values("pk")))
    if name == "obligations_due":
        return Drill("obligation", _("verification obligations due"),
                     obligations(f).exclude(state=ObligationState.NOT_SELECTED))
    if name == "obligations_done":
        return Drill("obligation", _("verification obligations done"), obligations(f).filter(state__in=DONE_STATES))
    if name == "obligation_state":
        states = dict(ObligationState.choices)
        if key not in states:
            raise KeyError(name)
        return Drill("obligation", states[key], obligations(f).filter(state=key))
    if name == "violations":
        return Drill("violation", _("violation cases"), violations(f))
    if name == "violation_kind":
        kind = ViolationKind.objects.filter(code=key).first()
        if kind is None:
            raise KeyError(name)
        return Drill("violation", kind.label, violations(f).filter(kind=key))
    if name == "violation_level":
        if key == "none":
            return Drill("violation", _("not yet graded"), violations(f).filter(level__isnull=True))
        levels = dict(ViolationLevel.choices)
        if not key.isdigit() or int(key) not in levels:
            raise KeyError(name)
        return Drill("violation", levels[int(key)], violations(f).filter(level=int(key)))
    if name == "restrictions_active":
        return Drill("restriction", _("restrictions in force"), restrictions_active(f))
    if name == "key_targets":
        return Drill("subject", _("key supervision targets"), key_targets(f))
    if name in ("objections", "objection_state"):
        rows = objections(f)
        if name == "objection_state":
            if key not in ObjectionState.values:
                raise KeyError(name)
            return Drill("objection", dict(ObjectionState.choices)[key], rows.filter(state=key))
        return Drill("objection", _("objections filed"), rows)
    if name in ("repairs", "repair_state"):
        rows = repairs(f)
        if name == "repair_state":
            if key not in RepairState.values:
                raise KeyError(name)
            return Drill("repair", dict(RepairState.choices)[key], rows.filter(state=key))
        return Drill("repair", _("credit repairs filed"), rows)
    raise KeyError(name)


def last_refresh():
    return Refresh.objects.filter(name="applications").values_list("finished_at", flat=True).first()
