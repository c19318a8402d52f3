"""Decide and issue (当场发证): the credit check is repeated at the decision (批中核查, case 14 Dezhou);
one licence per matter (多证齐发, case 15 Wuhan) numbered from a gapless per-matter, per-year sequence."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow import fsm

from ..lifecycles import LicenceLifecycle
from ..sequences import take_numbers
from ..models import (
    Application, ApplicationMatter, ApplicationState, CheckStage, Licence, LicenceCounter, Mode, StateChange, Subject,
)
from ..ports import entitlement_changed_handlers, licence_issued_handlers, many_of
from ._common import Refused, lock_application, move, move_many, require_staff
from .credit_check import credit_checks_run


class EntitlementChanged(Refused):
    """The decision-time credit check no longer allows the mode the application is in."""


def _next_numbers(matter, year: int, count: int = 1) -> int:
    """Take `count` consecutive licence numbers, gapless per matter and year; -> the first."""
    return take_numbers(LicenceCounter, count, matter=matter, year=year)


def _licence_row(application_matter, *, by, now, sequence: int) -> Licence:
    version = application_matter.matter_version
    matter = version.matter
    year = timezone.localdate(now).year
    valid_from = timezone.localdate(now)
    return Licence(
        application_matter=application_matter, matter=matter, holder=application_matter.application.subject,
        number=f"{matter.code}-{year}-{sequence:06d}", year=year, sequence=sequence, valid_from=valid_from,
        valid_to=valid_from + relativedelta(months=version.validity_months) - relativedelta(days=1)
        if version.validity_months else None,
        issued_at=now, issued_by=by,
    )


def licence_issue(*, application_matter, by) -> Licence:
    now = timezone.now()
    sequence = _next_numbers(application_matter.matter_version.matter, timezone.localdate(now).year)
    licence = _licence_row(application_matter, by=by, now=now, sequence=sequence)
    licence.save(force_insert=True)
    StateChange.record(licence, "", licence.state, by=by, reason=_("issued"))
    for handler in licence_issued_handlers:
        handler(licence=licence)
    return licence


def licences_issue(*, application_matters: list, by) -> list[Licence]:
    """licence_issue for many (a package): one block of gapless numbers per matter, saved together; each
    licence still goes to the licence_issued handlers (its verification obligation)."""
    now = timezone.now()
    year = timezone.localdate(now).year
    per_matter: dict[int, list] = {}
    for am in application_matters:
        per_matter.setdefault(am.matter_version.matter_id, []).append(am)
    licences = []
    for _matter_id, ams in sorted(per_matter.items()):  # a fixed order of counter locks
        first = _next_numbers(ams[0].matter_version.matter, year, len(ams))
        licences += [_licence_row(am, by=by, now=now, sequence=first + i) for i, am in enumerate(ams)]
    Licence.objects.bulk_create(licences)
    StateChange.objects.bulk_create([StateChange.row(lic, "", lic.state, by=by, reason=_("issued"))
                                     for lic in licences])
    for handler in licence_issued_handlers:
        many = many_of(handler)
        if many is not None:
            many(licences=licences)
        else:
            for licence in licences:
                handler(licence=licence)
    return licences


def _entitlement_changed(application, check, application_matters) -> list[str]:
    """The matters the decision-time check no longer allows in the application's mode, with the reasons."""
    if application.mode == Mode.STANDARD:
        return []
    return [
        f"{am.matter_version.matter.name}：{'；'.join(check.entitlements[str(am.matter_version_id)]['reasons'])}"
        for am in application_matters
        if not check.allows(am.matter_version_id, application.mode)
    ]


def entitlement_changed_messages(changed: list[str]) -> list[str]:
    return ([_("The applicant's credit status changed since intake; notify-and-commit no longer applies:")] + changed
            + [_("Move the application to standard review or terminate it.")])


def _decide_locked(application, by) -> list[Licence] | list[str]:
    if application.state == ApplicationState.DECIDED:
        raise Refused(_("This application was already decided at %(at)s.")
                      % {"at": timezone.localtime(application.decided_at).strftime("%Y-%m-%d %H:%M")}, code="decided")
    if application.state not in (ApplicationState.COMMITTED, ApplicationState.AWAITING_SUPPLEMENTS,
                                 ApplicationState.UNDER_REVIEW):
        move(application, "decide", by=by, action=_("decided"))  # refuses with the state's name
    if application.subject.legal_representative_id:
        # the representative's row too (the subject's is locked with the application): a restriction on
        # either, imposed under the same lock, is either committed before this check or waits for the decision
        Subject.objects.select_for_update().filter(pk=application.subject.legal_representative_id).first()
    # the matters, read once for the check, the entitlements and the licences (each knows its application)
    prefetch_related_objects([application], Prefetch(
        "matters", queryset=ApplicationMatter.objects.select_related("matter_version__matter")))
    check = credit_checks_run(applications=[application], stage=CheckStage.DECISION)[application.pk]
    changed = _entitlement_changed(application, check, application.matters.all())
    if changed:
        for handler in entitlement_changed_handlers:
            handler(application=application, reasons=changed)
        return changed
    application.decided_at, application.decided_by = timezone.now(), by  # saved with the transition
    move(application, "decide", by=by, action=_("decided"))
    return [licence_issue(application_matter=am, by=by) for am in application.matters.all()]


def application_decide(*, application_id: int, by) -> list[Licence]:
    """Decide on the spot without substantive review and issue every licence at once.

    The decision-time credit check is stored even when it refuses (it is evidence of why)."""
    require_staff(by)
    with transaction.atomic():
        application = lock_application(application_id)
        outcome = _decide_locked(application, by)
    if outcome and isinstance(outcome[0], str):
        raise EntitlementChanged(entitlement_changed_messages(outcome), code="entitlement")
    return outcome


def applications_decide(*, applications: list, by) -> tuple[list[Licence], dict[int, list[str]]]:
    """application_decide for many signed commitment applications (a package), whose rows the caller has locked
    (subject and matters loaded): the decision-time credit checks (批中核查) from one look-up pass, stored even
    when they refuse; those still entitled are decided and their licences issued together.
    -> (licences, {application id: why it was not decided})"""
    checks = credit_checks_run(applications=applications, stage=CheckStage.DECISION)
    decided, refused = [], {}
    for application in applications:
        changed = _entitlement_changed(application, checks[application.pk], application.matters.all())
        if changed:
            refused[application.pk] = entitlement_changed_messages(changed)
            for handler in entitlement_changed_handlers:
                handler(application=application, reasons=changed)
        else:
            decided.append(application)
    if not decided:
        return [], refused
    move_many(decided, "decide", by=by, action=_("decided"))
    now = timezone.now()
    Application.objects.filter(pk__in=[a.pk for a in decided]).update(decided_at=now, decided_by=by)
    for application in decided:
        application.decided_at, application.decided_by = now, by
    return licences_issue(application_matters=[am for a in decided for am in a.matters.all()], by=by), refused


@transaction.atomic
def application_reject(*, application_id: int, by, reason: str):
    """Standard review: reject with the reasons."""
    require_staff(by)
    if not (reason or "").strip():
        raise Refused({"reason": _("Give the reasons for the rejection.")})
    application = lock_application(application_id)
    move(application, "reject", by=by, reason=reason, action=_("rejected"))
    application.decided_at, application.decided_by, application.outcome_reason = timezone.now(), by, reason
    application.save(update_fields=["decided_at", "decided_by", "outcome_reason"])
    return application


@transaction.atomic
def licence_revoke(*, licence_id: int, by, reason: str) -> Licence:
    """Revoke a licence (L2/L3 of the ladder, case 14); irreversible. A second caller waits, then is refused."""
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    try:
        LicenceLifecycle(licence, by=by, reason=reason).revoke()
    except fsm.TransitionNotAllowed:
        raise Refused(_("Licence %(number)s is %(state)s and cannot be revoked.")
                      % {"number": licence.number, "state": licence.get_state_display()}, code="state")
    return licence
