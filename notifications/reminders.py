"""Deadline reminders and the daily digest, run by the scheduler (beat). Due dates are counted with the
working-day calendar (approvals.services.calendar); each reminder has its own key, so a re-run or a restart never
sends it twice, and a deadline already met (material supplied, case rectified, restriction lifted) is skipped."""

import math
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.roles import SUPERVISOR, WINDOW_STAFF
from approvals.services.calendar import add_working_days

from .listeners import application_context, application_link, restriction_context, restriction_ended
from .services import Item, Recipient, for_role, for_subject, notify, notify_many

REMIND_DAYS = (3, 1)  # working days before a supplement or rectification deadline
RESTRICTION_ENDING_DAYS = 7  # calendar days before a restriction ends
ENDED_LOOKBACK = timedelta(days=30)  # a restriction that ended longer ago is not announced any more


def _daily_due(today: date | None) -> date | None:
    """The day to remind for; None before the configured hour (reminders go out in the morning)."""
    if today is not None:
        return today
    now = timezone.localtime()
    return now.date() if now.hour >= settings.NOTIFICATIONS_DAILY_HOUR else None


class _Horizon:
    """The next working days after `today`, computed once per run."""

    def __init__(self, today: date):
        self.today = today
        self.days = [add_working_days(today, n) for n in range(1, max(REMIND_DAYS) + 1)]

    def bucket(self, deadline: date) -> int | None:
        """3 when the deadline is 2-3 working days away, 1 when it is the next working day, else None. A run that
        missed a day still sends the reminder due (keys stop repeats)."""
        if self.today < deadline <= self.days[0]:
            return 1
        if self.days[0] < deadline <= self.days[-1]:
            return 3
        return None

    def working_days_to(self, deadline: date) -> int:
        return next(n for n, day in enumerate(self.days, start=1) if deadline <= day)


def _told(event: str, model: str):
    """Exists(a message of the event about the row): rows already told are not looked at again."""
    from django.db.models import Exists, OuterRef

    from .models import Message

    return Exists(Message.objects.filter(event=event, object_type=model, object_id=OuterRef("pk")))


def supplement_reminders(today: date) -> int:
    from approvals.models import Supplement, SupplementState

    horizon = _Horizon(today)
    open_states = [SupplementState.PENDING, SupplementState.RETURNED]
    due = (Supplement.objects.filter(state__in=open_states, deadline__gt=today, deadline__lte=horizon.days[-1],
                                     created_at__date__lt=today)
           .select_related("application__subject", "material"))
    items = []
    for supplement in due:
        bucket = horizon.bucket(supplement.deadline)
        if bucket is None:
            continue
        application = supplement.application
        context = {**application_context(application), "material": supplement.material.name,
                   "deadline": supplement.deadline, "days": horizon.working_days_to(supplement.deadline)}
        items.append(Item(supplement, for_subject(application.subject), context, application_link(application),
                          key=f"supplement:{supplement.pk}:{supplement.deadline.isoformat()}:due{bucket}"))
    notify_many(event="supplement_due", items=items)
    overdue = (Supplement.objects.filter(deadline__lt=today, deadline__gte=today - timedelta(days=60))
               .filter(state__in=[*open_states, SupplementState.OVERDUE])
               .exclude(_told("supplement_overdue", "approvals.supplement"))
               .select_related("application__subject", "material"))
    late = [Item(s, for_subject(s.application.subject),
                 {**application_context(s.application), "material": s.material.name, "deadline": s.deadline},
                 application_link(s.application)) for s in overdue]
    notify_many(event="supplement_overdue", items=late)
    return len(items) + len(late)


def rectification_reminders(today: date) -> int:
    from sanctions.models import Violation, ViolationState

    horizon = _Horizon(today)
    due = Violation.objects.filter(state=ViolationState.RECTIFICATION_ORDERED, rectification_deadline__gt=today,
                                   rectification_deadline__lte=horizon.days[-1]).select_related("subject")
    items = []
    for violation in due:
        bucket = horizon.bucket(violation.rectification_deadline)
        if bucket is None:
            continue
        deadline = violation.rectification_deadline
        items.append(Item(violation, for_subject(violation.subject),
                          {"case": violation.number, "deadline": deadline,
                           "days": horizon.working_days_to(deadline)},
                          reverse("sanctions:my_cases"), key=f"violation:{violation.pk}:{deadline.isoformat()}:due{bucket}"))
    notify_many(event="rectification_due", items=items)
    return len(items)


def restriction_reminders(now) -> int:
    from sanctions.models import Restriction, RestrictionState

    soon = (Restriction.objects.filter(state=RestrictionState.ACTIVE, ends_at__gt=now,
                                       ends_at__lte=now + timedelta(days=RESTRICTION_ENDING_DAYS),
                                       starts_at__lte=now - timedelta(days=RESTRICTION_ENDING_DAYS))
            .exclude(_told("restriction_ending", "sanctions.restriction"))
            .select_related("subject", "matter"))
    items = [Item(r, for_subject(r.subject),
                  {**restriction_context(r), "days": math.ceil((r.ends_at - now).total_seconds() / 86400)},
                  reverse("sanctions:my_cases"), key=f"restriction:{r.pk}:ending:{r.ends_at.isoformat()}")
             for r in soon]
    notify_many(event="restriction_ending", items=items)
    ended = (Restriction.objects.filter(state__in=[RestrictionState.ACTIVE, RestrictionState.EXPIRED],
                                        ends_at__lte=now, ends_at__gt=now - ENDED_LOOKBACK)
             .exclude(_told("restriction_ended", "sanctions.restriction"))
             .select_related("subject", "matter"))
    count = 0
    for restriction in ended:
        restriction_ended(restriction)
        count += 1
    return len(items) + count


CATCH_UP = timedelta(days=2)


def announcements_catch_up(now) -> int:
    """Licences of packages and draws' assignments are told after their commit by a task; one the broker lost is
    told here (the keys keep the rest from being told twice)."""
    from django.db.models import OuterRef, Exists

    from approvals.models import Licence
    from inspections.models import Assignment, Draw

    from .listeners import draw_notify, licences_notify
    from .models import Message

    told_licence = Message.objects.filter(event="licence_issued", object_type="approvals.licence",
                                          object_id=OuterRef("pk"))
    missing = list(Licence.objects.filter(issued_at__gte=now - CATCH_UP, issued_at__lte=now - timedelta(minutes=5))
                   .exclude(Exists(told_licence)).values_list("pk", flat=True))
    told = licences_notify(licence_ids=missing) if missing else 0
    told_assignment = Message.objects.filter(event="inspection_assigned", object_type="inspections.assignment",
                                             object_id=OuterRef("pk"))
    draws = (Assignment.objects.filter(draw__drawn_at__gte=now - CATCH_UP, draw__drawn_at__lte=now - timedelta(minutes=5))
             .exclude(Exists(told_assignment)).values_list("draw", flat=True).distinct())
    for draw_id in Draw.objects.filter(pk__in=list(draws)).values_list("pk", flat=True):
        told += draw_notify(draw_id=draw_id)
    return told


def reminders_run(*, today: date | None = None, now=None) -> dict:
    """All deadline reminders due today (safe to run every few minutes: each is sent once), and any announcement
    whose task was lost."""
    now = now or timezone.now()
    caught_up = announcements_catch_up(now)
    day = _daily_due(today)
    if day is None:
        return {"caught_up": caught_up}
    return {"supplements": supplement_reminders(day), "rectifications": rectification_reminders(day),
            "restrictions": restriction_reminders(now), "caught_up": caught_up}


def _staff_sections(today: date) -> list[dict]:
    from approvals.models import Application, OPEN_STATES, Supplement, SupplementState

    tomorrow, soon = add_working_days(today, 1), add_working_days(today, 3)
    decisions = (Application.objects.filter(state__in=OPEN_STATES, decision_due_on__lte=soon)
                 .select_related("subject").order_by("decision_due_on", "pk"))
    supplied = (Supplement.objects.filter(state=SupplementState.SUPPLIED).select_related("application__subject",
                                                                                          "material"))
    late = (Supplement.objects.filter(state__in=[SupplementState.PENDING, SupplementState.RETURNED],
                                      deadline__lte=tomorrow).select_related("application__subject", "material"))
    return [
        {"title": _("Decisions due by %(day)s or overdue") % {"day": soon.isoformat()},
         "items": [_("#%(id)s %(name)s, due %(due)s") % {"id": a.pk, "name": a.subject.name,
                                                         "due": a.decision_due_on.isoformat()} for a in decisions[:50]]},
        {"title": _("Supplied materials awaiting review"),
         "items": [f"#{s.application_id} {s.application.subject.name}：{s.material.name}" for s in supplied[:50]]},
        {"title": _("Supplements due by %(day)s or overdue") % {"day": tomorrow.isoformat()},
         "items": [_("#%(id)s %(name)s: %(material)s, due %(due)s")
                   % {"id": s.application_id, "name": s.application.subject.name, "material": s.material.name,
                      "due": s.deadline.isoformat()} for s in late[:50]]},
    ]


def _supervisor_sections(today: date) -> list[dict]:
    from inspections.models import Obligation, ObligationState
    from sanctions.models import Objection, ObjectionState, Violation, ViolationState

    soon = add_working_days(today, 3)
    objections = Objection.objects.filter(state=ObjectionState.OPEN, due_on__lte=soon).select_related("violation")
    rectifications = Violation.objects.filter(state=ViolationState.RECTIFICATION_ORDERED,
                                              rectification_deadline__lte=add_working_days(today, 1))
    checks = Obligation.objects.filter(state__in=[ObligationState.DUE, ObligationState.ASSIGNED],
                                       due_on__lt=today).select_related("licence")
    return [
        {"title": _("Objections to decide by %(day)s") % {"day": soon.isoformat()},
         "items": [_("%(case)s, due %(due)s") % {"case": o.violation.number, "due": o.due_on.isoformat()}
                   for o in objections[:50]]},
        {"title": _("Rectifications due or overdue"),
         "items": [_("%(case)s, due %(due)s") % {"case": v.number, "due": v.rectification_deadline.isoformat()}
                   for v in rectifications[:50]]},
        {"title": _("Verifications overdue"),
         "items": [_("%(licence)s, due %(due)s") % {"licence": o.licence.number, "due": o.due_on.isoformat()}
                   for o in checks[:50]]},
    ]


def _digest(role: str, today: date, sections_for, link: str) -> int:
    """One digest per person and day, only when something is due."""
    from django.utils import translation

    sent, per_language = 0, {}
    for recipient in for_role(role):
        if recipient.language not in per_language:
            with translation.override(recipient.language):
                per_language[recipient.language] = [s for s in sections_for(today) if s["items"]]
        sections = per_language[recipient.language]
        if not sections:
            continue
        total = sum(len(s["items"]) for s in sections)
        sent += len(notify(event="daily_digest", obj=None, recipients=[recipient], link=link,
                           context={"day": today, "total": total, "sections": sections},
                           key=f"{role}:{today.isoformat()}"))
    return sent


def digest_run(*, today: date | None = None) -> int:
    """The daily digest for window staff (their decisions and supplements) and supervisors (objections,
    rectifications, verifications)."""
    day = _daily_due(today)
    if day is None:
        return 0
    return (_digest(WINDOW_STAFF, day, _staff_sections, reverse("application_inbox"))
            + _digest(SUPERVISOR, day, _supervisor_sections, reverse("sanctions:cases")))


__all__ = ["Recipient", "digest_run", "reminders_run"]
