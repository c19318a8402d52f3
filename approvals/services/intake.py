"""Intake: an application for one or more matters, by the applicant online or by staff at the counter;
credit-checked at once (逢办必查, case 14 Dezhou); the applicant then chooses notify-and-commit or standard."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import (
    Application, ApplicationMaterial, ApplicationMatter, Channel, CheckStage, CommitmentLetter, CreditCheck, Material,
    Matter, Mode, Notice, Subject,
)
from ..ports import restriction_lookups
from ..roles import ADMINISTRATOR, WINDOW_STAFF, has_role
from ._common import Refused, acts_for, lock_application, move, put, require_staff
from .calendar import add_working_days
from .credit_check import credit_check_of
from .texts import application_matters, letter_text, notice_text, sha256_text
from .uploads import read_upload, stored_file


@transaction.atomic
def application_start(*, subject_id: int, matter_codes: list[str], channel: str, by) -> Application:
    """Create, submit and credit-check an application (批前信用核验 on every application)."""
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise Refused({"subject": _("No such applicant is registered.")}, code="subject")
    if channel == Channel.COUNTER:
        require_staff(by)
    elif not (acts_for(by, subject) or has_role(by, WINDOW_STAFF, ADMINISTRATOR)):
        raise PermissionDenied(_("You may apply only for yourself or an organisation you represent."))
    return create_checked_application(subject=subject, matter_codes=matter_codes, channel=channel, by=by)


def create_checked_application(*, subject: Subject, matter_codes: list[str], channel: str, by) -> Application:
    """Create, submit and credit-check; the caller has checked that `by` may apply for `subject`."""
    if not matter_codes:
        raise Refused({"matters": _("Choose at least one matter.")}, code="matters")
    matters = {m.code: m for m in Matter.objects.filter(code__in=matter_codes)}
    unknown = [c for c in matter_codes if c not in matters]
    if unknown:
        raise Refused({"matters": _("Unknown matter(s): %(codes)s") % {"codes": "、".join(unknown)}}, code="matters")
    application = Application.objects.create(subject=subject, channel=channel, created_by=by)
    applied = []
    for code in dict.fromkeys(matter_codes):
        version = matters[code].current_version()
        if version is None:
            raise Refused({"matters": _("%(matter)s is not open for applications.") % {"matter": matters[code].name}})
        applied.append(ApplicationMatter.objects.create(application=application, matter_version=version))
    application.submitted_at = timezone.now()
    move(application, "submit", by=by, action=_("submitted"))
    credit_check_of(application, [am.matter_version for am in applied], stage=CheckStage.INTAKE)
    move(application, "check", by=by, action=_("credit checked"))
    return application


def latest_check(application):
    return application.credit_checks.order_by("-checked_at", "-pk").first()


def check_for_choice(application: Application, matters: list | None = None) -> CreditCheck:
    """The check a mode is opened on: the latest one, or, when a restriction has come into force for the applicant
    or its legal representative since it was made, a fresh check (stored, stage "at mode choice"), so a mode the
    restriction list closes is not opened on an older check. The caller holds the application's lock (the
    subject's row with it); the representative's row is locked here: a restriction is imposed under the row lock
    of its subject, so it is either committed before this look or waits for the choice."""
    check = latest_check(application)
    subject = application.subject
    people = [subject]
    if subject.legal_representative_id:
        Subject.objects.select_for_update().filter(pk=subject.legal_representative_id).first()
        people.append(subject.legal_representative)
    seen = {r["id"] for f in check.inputs.get("facts", []) for r in f.get("restrictions", [])}
    now = timezone.now()
    if any(r.pk not in seen for lookup in restriction_lookups for found in lookup(people, now).values()
           for r in found):
        if matters is None:  # read only when a check is made
            matters = application.matters.select_related("matter_version")
        check = credit_check_of(application, [am.matter_version for am in matters], stage=CheckStage.CHOICE, at=now)
    return check


def commitment_refusals(application, matters: list | None = None, check: CreditCheck | None = None) -> list[str]:
    """Why notify-and-commit is not open to this application (empty: it is), by its latest check or `check`."""
    check = check or latest_check(application)
    reasons = []
    for am in (matters if matters is not None else application.matters.select_related("matter_version__matter")):
        entitlement = check.entitlements[str(am.matter_version_id)]
        if Mode.COMMITMENT not in entitlement["modes"]:
            why = "；".join(entitlement["reasons"]) or _("this matter does not offer notify-and-commit")
            reasons.append(f"{am.matter_version.matter.name}：{why}")
    return reasons


def application_choose_commitment(*, application_id: int, by) -> Notice:
    """The applicant chooses notify-and-commit (voluntarily); the notice and the letter are compiled. Refused when
    the application's check does not open the mode; a fresh check made for the choice (check_for_choice) is kept
    then, as the evidence of why, and the application's page offers the modes it opens."""
    with transaction.atomic():
        application = lock_application(application_id)
        if not (acts_for(by, application.subject) or has_role(by, WINDOW_STAFF, ADMINISTRATOR)):
            raise PermissionDenied(_("Only the applicant or window staff may choose the mode."))
        matters = application_matters(application)  # read once for the refusals and both texts
        refusals = (commitment_refusals(application, matters, check_for_choice(application, matters))
                    if application.state == "checked" else [])
        if not refusals:
            return notify(application, by=by, matters=matters)
    raise Refused(refusals, code="entitlement")


def notify(application: Application, *, by, matters: list) -> Notice:
    """Issue the notice (and the letter, unless a package letter covers it); the caller holds the lock and has
    found the mode open."""
    # saved with the transition (one UPDATE), and there for the listeners (the notice's message gives the date)
    application.mode = Mode.COMMITMENT
    application.decision_due_on = add_working_days(timezone.localdate(), settings.COMMITMENT_DECISION_DAYS)
    move(application, "choose_commitment", by=by, action=_("notified"))
    application.matters.update(mode=Mode.COMMITMENT)
    with translation.override(application.subject.language):  # a legal document, in the recipient's language
        text = notice_text(application, settings.AUTHORITY_NAME, matters)
    notice = put(Notice, application=application, defaults={"text": text, "sha256": sha256_text(text)})
    if application.package_id is None:
        with translation.override(application.subject.language):
            letter = letter_text(signer=application.subject, applications=[application],
                                 authority=settings.AUTHORITY_NAME, matters=matters)
        put(CommitmentLetter, application=application,
            defaults={"text": letter, "sha256": sha256_text(letter), "signer_subject": application.subject})
    return notice


@transaction.atomic
def application_choose_standard(*, application_id: int, by) -> Application:
    """Standard review, for the ineligible or unwilling, within the statutory limit."""
    application = lock_application(application_id)
    if not (acts_for(by, application.subject) or has_role(by, WINDOW_STAFF, ADMINISTRATOR)):
        raise PermissionDenied(_("Only the applicant or window staff may choose the mode."))
    _to_standard_review(application)
    move(application, "choose_standard", by=by, action=_("sent to standard review"))
    application.matters.update(mode=Mode.STANDARD)
    return application


def _to_standard_review(application: Application) -> None:
    """Mode and statutory deadline, set before the transition: saved with it, and there for the listeners."""
    limit = max(am.matter_version.statutory_limit_days for am in application.matters.select_related("matter_version"))
    application.mode = Mode.STANDARD
    application.decision_due_on = add_working_days(timezone.localdate(), limit)


@transaction.atomic
def application_convert_to_standard(*, application_id: int, by, reason: str) -> Application:
    """Staff move a notify-and-commit application to standard review, e.g. when the decision-time credit
    check no longer allows the commitment (批中核查). The signed letter stays on record."""
    require_staff(by)
    if not (reason or "").strip():
        raise Refused({"reason": _("Give the reason for moving the application to standard review.")})
    application = lock_application(application_id)
    _to_standard_review(application)
    move(application, "convert_to_standard", by=by, reason=reason, action=_("sent to standard review"))
    application.matters.update(mode=Mode.STANDARD)
    return application


@transaction.atomic
def application_upload_material(*, application_id: int, material_id: int, upload, by) -> ApplicationMaterial:
    application = lock_application(application_id)
    if not (acts_for(by, application.subject) or has_role(by, WINDOW_STAFF, ADMINISTRATOR)):
        raise PermissionDenied(_("You may upload materials only for your own applications."))
    if not application.is_open:
        raise Refused(_("This application is “%(state)s”; materials can no longer be added.")
                      % {"state": application.get_state_display()}, code="state")
    material = Material.objects.filter(
        pk=material_id, version__application_matters__application=application
    ).first()
    if material is None:
        raise Refused({"material": _("This material is not required by the matters of this application.")})
    data, content_type = read_upload(upload)
    content, digest = stored_file(data, upload.name)
    return ApplicationMaterial.objects.create(
        application=application, material=material, file=content, filename=upload.name[-255:],
        content_type=content_type, size=len(data), sha256=digest, uploaded_by=by,
    )


@transaction.atomic
def application_terminate(*, application_id: int, by, reason: str) -> Application:
    """终止办理: stop processing before the decision, with a reason."""
    require_staff(by)
    if not (reason or "").strip():
        raise Refused({"reason": _("Give the reason for terminating the application.")}, code="reason")
    application = lock_application(application_id)
    move(application, "terminate", by=by, reason=reason, action=_("terminated"))
    application.outcome_reason = reason
    application.save(update_fields=["outcome_reason"])
    return application
