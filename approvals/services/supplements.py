"""Lenient acceptance (容缺受理): missing deferrable materials get a supplement notice with a deadline in
working days (case 12 Delingha, case 17 Tibet). Missed before the decision: the application fails
("视为形式审查不通过", Tibet). Missed after an on-the-spot decision: the violation 容缺不补 (case 14)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow import fsm

from ..lifecycles import SupplementLifecycle
from ..models import (
    ApplicationMaterial, ApplicationState, Material, MaterialKind, Mode, Supplement, SupplementState,
)
from ..ports import supplement_overdue_after_decision_handlers, supplements_issued_handlers
from ..roles import ADMINISTRATOR, WINDOW_STAFF, has_role
from ._common import Refused, acts_for, lock_application, move, require_staff
from .calendar import add_working_days
from .intake import check_for_choice, latest_check
from .uploads import read_upload, stored_file


def application_accept_lenient(*, application_id: int, by, missing_material_ids: list[int]) -> list[Supplement]:
    """Accept with the listed deferrable materials missing; issue the supplement notice. Refused for a matter the
    check does not open lenient acceptance to; a fresh check made for the choice (check_for_choice) is kept then."""
    require_staff(by)
    if not missing_material_ids:
        raise Refused({"materials": _("List the missing deferrable materials.")})
    with transaction.atomic():
        application = lock_application(application_id)
        materials = list(Material.objects.filter(pk__in=missing_material_ids,
                                                 version__application_matters__application=application)
                         .select_related("version__matter"))
        if len(materials) != len(set(missing_material_ids)):
            raise Refused({"materials": _("Some of the materials do not belong to this application.")})
        for material in materials:
            if material.kind != MaterialKind.DEFERRABLE:
                raise Refused({"materials": _("“%(name)s” is not deferrable; it must be provided before acceptance.")
                               % {"name": material.name}})
        signed = application.state == ApplicationState.COMMITTED  # where lenient acceptance is chosen
        check = check_for_choice(application) if signed else latest_check(application)
        closed = [m for m in materials if Mode.LENIENT not in check.modes_for(m.version_id)]
        if not closed:
            return _accept_lenient(application, materials, by)
    raise Refused({"materials": _("Lenient acceptance is not open to this applicant for %(matter)s.")
                   % {"matter": closed[0].version.matter.name}})


def _accept_lenient(application, materials: list[Material], by) -> list[Supplement]:
    move(application, "accept_lenient", by=by, action=_("accepted with materials deferred"))
    today = timezone.localdate()
    supplements = []
    for material in materials:
        days = min(material.supplement_days, material.version.statutory_limit_days)
        supplements.append(Supplement.objects.create(application=application, material=material,
                                                     deadline=add_working_days(today, days)))
    for handler in supplements_issued_handlers:
        handler(application=application, supplements=supplements)
    return supplements


def _lock_supplement(supplement_id: int) -> Supplement:
    supplement = Supplement.objects.select_for_update().select_related("application__subject", "material").get(
        pk=supplement_id)
    return supplement


@transaction.atomic
def supplement_supply(*, supplement_id: int, upload, by) -> Supplement:
    """The applicant uploads a deferred material before the deadline, or window staff register one the
    applicant brought to the counter."""
    supplement = _lock_supplement(supplement_id)
    if not (acts_for(by, supplement.application.subject) or has_role(by, WINDOW_STAFF, ADMINISTRATOR)):
        raise PermissionDenied(_("Only the applicant or window staff may supply the material."))
    if supplement.state == SupplementState.OVERDUE or timezone.localdate() > supplement.deadline:
        raise Refused(_("The deadline for “%(name)s” was %(deadline)s; it can no longer be supplied here. "
                        "Contact the service window.") % {"name": supplement.material.name,
                                                          "deadline": supplement.deadline.isoformat()}, code="deadline")
    data, content_type = read_upload(upload)
    content, digest = stored_file(data, upload.name)
    if not SupplementLifecycle(supplement).supply.can_proceed():  # before the file is stored
        raise Refused(_("“%(name)s” is %(state)s; nothing to supply.")
                      % {"name": supplement.material.name, "state": supplement.get_state_display()}, code="state")
    supplement.upload = ApplicationMaterial.objects.create(
        application=supplement.application, material=supplement.material, file=content, filename=upload.name[-255:],
        content_type=content_type, size=len(data), sha256=digest, uploaded_by=by,
    )
    SupplementLifecycle(supplement, by=by).supply()
    return supplement


@transaction.atomic
def supplement_review(*, supplement_id: int, by, accept: bool, reason: str = "") -> Supplement:
    """Staff accept a supplied material, or return it with the reason."""
    require_staff(by)
    supplement = _lock_supplement(supplement_id)
    if not accept and not (reason or "").strip():
        raise Refused({"reason": _("Say why the material is returned.")})
    lifecycle = SupplementLifecycle(supplement, by=by, reason=reason)
    try:
        lifecycle.accept() if accept else lifecycle.give_back()
    except fsm.TransitionNotAllowed:
        raise Refused(_("“%(name)s” is %(state)s; it cannot be reviewed now.")
                      % {"name": supplement.material.name, "state": supplement.get_state_display()}, code="state")
    supplement.reviewed_by, supplement.reviewed_at = by, timezone.now()
    supplement.return_reason = "" if accept else reason
    supplement.save(update_fields=["reviewed_by", "reviewed_at", "return_reason"])
    return supplement


def supplements_sweep(*, today: date | None = None) -> dict:
    """Mark supplements overdue after their deadline day; fail undecided applications; report decided ones
    to the registered handlers (容缺不补). Each supplement in its own transaction; safe to re-run."""
    today = today or timezone.localdate()
    result = {"overdue": 0, "failed": 0, "violations": 0}
    due = Supplement.objects.filter(state__in=[SupplementState.PENDING, SupplementState.RETURNED], deadline__lt=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            supplement = _lock_supplement(pk)
            if supplement.state not in (SupplementState.PENDING, SupplementState.RETURNED):
                continue
            application = lock_application(supplement.application_id)
            SupplementLifecycle(supplement, reason=_("supplement deadline passed")).expire()
            result["overdue"] += 1
            if application.state == ApplicationState.AWAITING_SUPPLEMENTS:
                reason = _("“%(name)s” was not supplied by %(deadline)s: the formal review is deemed failed.") % {
                    "name": supplement.material.name, "deadline": supplement.deadline.isoformat()}
                move(application, "fail", reason=reason, action=_("failed"))
                application.outcome_reason = reason
                application.save(update_fields=["outcome_reason"])
                result["failed"] += 1
            elif application.state == ApplicationState.DECIDED:
                for handler in supplement_overdue_after_decision_handlers:
                    handler(supplement=supplement, application=application)
                result["violations"] += 1
    return result
