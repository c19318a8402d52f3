"""Refreshing the supervisor's summaries from the source tables (read-only on them).

applications_refresh(): the facts and per-day sums of the applications changed since the last run (new,
decided, rejected, failed, terminated, supplemented, credit-checked), recomputing whole received days so a
day's sums are always those of its facts; the first run rebuilds everything. obligations_refresh(): the
verification obligations per due day, matter, channel and state, rebuilt in one grouped query. Each runs in
one transaction under its Refresh row's lock: a second run waits and then finds nothing left to do."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from approvals.bulk import Writer
from approvals.models import (
    Application, ApplicationMatter, ApplicationState, CreditCheck, Matter, Mode, StateChange, Supplement,
    SupplementState,
)
from approvals.services import CalendarNotCovered, is_working_day
from inspections.models import Obligation

from .models import (
    FINISHED, ApplicationFact, ApplicationFigure, DecisionTime, Level, ObligationFigure, Outcome, Refresh,
)

EXACT_UNDER_MINUTES = 8 * 60
CHUNK = 5000
OVERLAP = timedelta(minutes=2)  # a transaction that committed just after the last run started is seen again

OUTCOMES = {ApplicationState.DECIDED: Outcome.DECIDED, ApplicationState.REJECTED: Outcome.REJECTED,
            ApplicationState.FAILED: Outcome.FAILED, ApplicationState.TERMINATED: Outcome.TERMINATED}
COUNTERS = ["received", "finished", "on_the_spot", "same_day", "within_limit", "lenient", "supplements_complete",
            "credit_checks", "entitlement_changed"]


def bucket(minutes: int) -> int:
    """Decision times are summed to the minute under 8 working hours, to the hour beyond."""
    return minutes if minutes < EXACT_UNDER_MINUTES else minutes // 60 * 60


class WorkingCalendar:
    """The approvals working-day calendar (chinese-calendar plus the administrator's rulings), memoised for
    one refresh. A day it does not cover gives None: no working time is computed across it."""

    def __init__(self):
        self.memo: dict[date, bool | None] = {}

    def working(self, day: date) -> bool | None:
        if day not in self.memo:
            try:
                self.memo[day] = is_working_day(day)
            except CalendarNotCovered:
                self.memo[day] = None
        return self.memo[day]

    def days_between(self, start: date, end: date) -> int | None:
        """Working days after `start` up to and including `end` (as approvals.working_days_between)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            working = self.working(day)
            if working is None:
                return None
            count += working
        return count

    def minutes_between(self, start: datetime, end: datetime) -> int | None:
        """Elapsed minutes from `start` to `end` (local time) not counting rest days (weekends, holidays)."""
        if end <= start:
            return 0
        first, last = start.date(), end.date()
        if first == last:
            working = self.working(first)
            return None if working is None else (int((end - start).total_seconds() // 60) if working else 0)
        midnight_after = datetime.combine(first + timedelta(days=1), datetime.min.time(), tzinfo=start.tzinfo)
        midnight_last = datetime.combine(last, datetime.min.time(), tzinfo=end.tzinfo)
        head, tail = self.working(first), self.working(last)
        between = self.days_between(first, last - timedelta(days=1))
        if head is None or tail is None or between is None:
            return None
        seconds = (head * (midnight_after - start).total_seconds() + between * 86400
                   + tail * (end - midnight_last).total_seconds())
        return int(seconds // 60)


def _entitlement_changed(checks: list[dict]) -> bool:
    modes = [{matter: sorted(e["modes"]) for matter, e in entitlements.items()} for entitlements in checks]
    return any(a != b for a, b in zip(modes, modes[1:]))


def compute_facts(application_ids: list[int], calendar: WorkingCalendar) -> list[dict]:
    """The facts of these applications (those submitted), as dicts of ApplicationFact fields plus `items`:
    [(matter id, department)] of the matters applied for."""
    facts = []
    for i in range(0, len(application_ids), CHUNK):
        chunk = application_ids[i:i + CHUNK]
        items, limits = defaultdict(list), defaultdict(int)
        for app_id, matter_id, department, limit in ApplicationMatter.objects.filter(
                application_id__in=chunk).values_list("application_id", "matter_version__matter_id",
                                                      "matter_version__matter__department",
                                                      "matter_version__statutory_limit_days"):
            items[app_id].append((matter_id, department))
            limits[app_id] = max(limits[app_id], limit)
        supplements = defaultdict(list)
        for app_id, state in Supplement.objects.filter(application_id__in=chunk).values_list("application_id",
                                                                                              "state"):
            supplements[app_id].append(state)
        checks = defaultdict(list)
        for app_id, entitlements in (CreditCheck.objects.filter(application_id__in=chunk)
                                     .order_by("application_id", "checked_at", "pk")
                                     .values_list("application_id", "entitlements")):
            checks[app_id].append(entitlements)
        rows = (Application.objects.filter(pk__in=chunk, submitted_at__isnull=False)
                .values_list("pk", "channel", "mode", "state", "submitted_at", "decided_at"))
        for pk, channel, mode, state, submitted_at, decided_at in rows:
            submitted = timezone.localtime(submitted_at)
            outcome = OUTCOMES.get(state, Outcome.OPEN)
            finished = outcome in FINISHED and decided_at is not None
            decided = timezone.localtime(decided_at) if finished else None
            lenient = bool(supplements[pk])
            same_day = finished and decided.date() == submitted.date()
            days = calendar.days_between(submitted.date(), decided.date()) if finished else None
            facts.append({
                "application_id": pk, "received_on": submitted.date(), "channel": channel,
                "mode": Mode.LENIENT.value if lenient else (mode or ""), "outcome": outcome.value,
                "finished_at": decided_at if finished else None,
                "on_the_spot": same_day and outcome == Outcome.DECIDED and bool(mode) and mode != Mode.STANDARD,
                "same_day": same_day,
                "within_limit": finished and days is not None and days <= limits[pk],
                "working_minutes": calendar.minutes_between(submitted, decided) if finished else None,
                "lenient": lenient,
                "supplements_complete": lenient and all(s == SupplementState.ACCEPTED for s in supplements[pk]),
                "credit_checks": len(checks[pk]), "entitlement_changed": _entitlement_changed(checks[pk]),
                "items": items[pk],
            })
    return facts


def _sums(facts: list[dict]) -> tuple[dict, dict]:
    """Per (day, level, department, matter, channel, mode): the counters; per (day, level, department, matter,
    channel): the decision-time histogram."""
    figures: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNTERS))
    times: dict[tuple, dict] = defaultdict(dict)
    for fact in facts:
        keys = [(Level.ALL.value, "", None)]
        keys += [(Level.DEPARTMENT.value, d, None) for d in sorted({d for _m, d in fact["items"]})]
        keys += [(Level.MATTER.value, d, m) for m, d in sorted(set(fact["items"]))]
        finished = fact["outcome"] in FINISHED and fact["finished_at"] is not None
        values = [1, finished, fact["on_the_spot"], fact["same_day"], fact["within_limit"], fact["lenient"],
                  fact["supplements_complete"], fact["credit_checks"], fact["entitlement_changed"]]
        for level, department, matter in keys:
            key = (fact["received_on"], level, department, matter, fact["channel"], fact["mode"])
            counters = figures[key]
            for i, value in enumerate(values):
                counters[i] += int(value)
            if fact["working_minutes"] is not None:
                minutes = str(bucket(fact["working_minutes"]))
                histogram = times[key[:5]]
                histogram[minutes] = histogram.get(minutes, 0) + 1
    return figures, times


def _write(facts: list[dict], now) -> None:
    figures, times = _sums(facts)
    # "id" keeps Writer from leaving out the primary key (here the application's id)
    Writer(ApplicationFact).write(({"id": None, **{k: v for k, v in f.items() if k != "items"}} for f in facts), now)
    Writer(ApplicationFigure).write(
        ({"day": k[0], "level": k[1], "department": k[2], "matter_id": k[3], "channel": k[4], "mode": k[5],
          **dict(zip(COUNTERS, v))} for k, v in figures.items()), now)
    Writer(DecisionTime).write(
        ({"day": k[0], "level": k[1], "department": k[2], "matter_id": k[3], "channel": k[4], "histogram": h}
         for k, h in times.items()), now)


def _lock(name: str) -> Refresh:
    Refresh.objects.get_or_create(name=name)
    return Refresh.objects.select_for_update().get(name=name)


def _changed_since(since) -> set[int]:
    app_type = ContentType.objects.get_for_model(Application)
    supplement_type = ContentType.objects.get_for_model(Supplement)
    ids = set(Application.objects.filter(Q(submitted_at__gte=since) | Q(decided_at__gte=since))
              .values_list("pk", flat=True))
    ids |= set(Supplement.objects.filter(Q(created_at__gte=since) | Q(reviewed_at__gte=since))
               .values_list("application_id", flat=True))
    ids |= set(CreditCheck.objects.filter(checked_at__gte=since).values_list("application_id", flat=True))
    ids |= set(StateChange.objects.filter(content_type=app_type, at__gte=since).values_list("object_id", flat=True))
    supplement_ids = StateChange.objects.filter(content_type=supplement_type, at__gte=since).values("object_id")
    ids |= set(Supplement.objects.filter(pk__in=supplement_ids).values_list("application_id", flat=True))
    return ids


@transaction.atomic
def applications_refresh(*, rebuild: bool = False) -> int:
    """Bring the application facts and sums up to date; -> how many applications were recomputed."""
    run = _lock("applications")
    now = timezone.now()
    calendar = WorkingCalendar()
    if rebuild or run.started_at is None:
        ApplicationFact.objects.all().delete()
        ApplicationFigure.objects.all().delete()
        DecisionTime.objects.all().delete()
        count = 0
        for ids in _by_received_month():  # whole days at a time, so each day's sums are written once
            facts = compute_facts(ids, calendar)
            _write(facts, now)
            count += len(facts)
    else:
        changed = _changed_since(run.started_at - OVERLAP)
        facts = compute_facts(sorted(changed), calendar)
        days = {f["received_on"] for f in facts}
        others = set(ApplicationFact.objects.filter(received_on__in=days).values_list("pk", flat=True)) - changed
        facts += compute_facts(sorted(others), calendar)
        ApplicationFact.objects.filter(pk__in=[f["application_id"] for f in facts]).delete()
        ApplicationFigure.objects.filter(day__in=days).delete()
        DecisionTime.objects.filter(day__in=days).delete()
        _write(facts, now)
        count = len(facts)
    run.started_at, run.finished_at, run.rows = now, timezone.now(), count
    run.save()
    return count


def _by_received_month():
    """The submitted applications' ids, a month of received days at a time."""
    span = Application.objects.filter(submitted_at__isnull=False).aggregate(first=Min("submitted_at"),
                                                                            last=Max("submitted_at"))
    if span["first"] is None:
        return
    tz = timezone.get_current_timezone()
    day, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
    while day <= last:
        following = day + timedelta(days=31)
        yield list(Application.objects.filter(
            submitted_at__gte=datetime.combine(day, datetime.min.time(), tzinfo=tz),
            submitted_at__lt=datetime.combine(following, datetime.min.time(), tzinfo=tz)).values_list("pk", flat=True))
        day = following


@transaction.atomic
def obligations_refresh() -> int:
    """The verification obligations per due day, matter, channel (of the licence's application) and state."""
    run = _lock("obligations")
    now = timezone.now()
    departments = dict(Matter.objects.values_list("pk", "department"))
    rows = (Obligation.objects.values("due_on", "state", "licence__matter_id",
                                      "licence__application_matter__application__channel")
            .annotate(n=Count("pk")).order_by())
    ObligationFigure.objects.all().delete()
    count = Writer(ObligationFigure).write(
        ({"due_on": r["due_on"], "matter_id": r["licence__matter_id"], "state": r["state"],
          "department": departments.get(r["licence__matter_id"], ""),
          "channel": r["licence__application_matter__application__channel"] or "", "count": r["n"]} for r in rows),
        now)
    run.started_at, run.finished_at, run.rows = now, timezone.now(), count
    run.save()
    return count


def summaries_refresh(*, rebuild: bool = False) -> dict:
    return {"applications": applications_refresh(rebuild=rebuild), "obligations": obligations_refresh()}
