"""Pre-approval credit check (批前信用核验) and its repetition at decision (批中核查), case 14 Dezhou.

Every application is checked (逢办必查): the subject and, for an organisation, its legal representative
(穿透, seed 001) against the restriction list, the seriously-dishonest list and the credit grade. The
check is stored as evidence and yields, per matter, the modes the applicant is entitled to, each refusal
with a reason in plain language."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ports import credit_check_listeners, many_of
from ..models import Application, CheckStage, CreditCheck, Mode, MatterVersion
from ..selectors.credit import SubjectCreditFacts, credit_facts, credit_facts_for

RULE_VERSION = "2026.1"
GRADE_ORDER = "ABCD"


def _who(facts: SubjectCreditFacts) -> str:
    return _("The legal representative") if facts.role == "legal_representative" else _("The applicant")


def _effective_grade(facts: list[SubjectCreditFacts]) -> tuple[str, list[str]]:
    """The worse of the subject's and its legal representative's grade; ungraded counts as configured."""
    notes, grades = [], []
    for f in facts:
        if f.grade is None:
            grades.append(settings.CREDIT_UNGRADED_AS)
            notes.append(_("%(who)s has no credit grade on record and is treated as grade %(grade)s.")
                         % {"who": _who(f), "grade": settings.CREDIT_UNGRADED_AS})
        else:
            grades.append(f.grade.grade)
    return max(grades, key=GRADE_ORDER.index), notes


def _blocks(version: MatterVersion, facts: list[SubjectCreditFacts]) -> list[str]:
    reasons = []
    for f in facts:
        for r in f.restrictions:
            if r.matter_id in (None, version.matter_id):
                reasons.append(
                    _("%(who)s is under restriction until %(end)s (%(act)s); notify and commit, lenient "
                      "acceptance and the green channel do not apply.")
                    % {"who": _who(f), "end": timezone.localtime(r.ends_at).date().isoformat(), "act": r.legal_act}
                )
        for d in f.dishonest:
            reasons.append(
                _("%(who)s is on the %(list)s since %(date)s; notify and commit, lenient acceptance and the "
                  "green channel do not apply.")
                % {"who": _who(f), "list": d.list_name, "date": d.listed_on.isoformat()}
            )
    return reasons


def _grade_gate(mode: Mode, grade: str, allowed: list[str], modes: list[str], reasons: list[str]) -> None:
    if grade in allowed:
        modes.append(mode.value)
        return
    message = (
        _("Credit grade %(grade)s is not among the grades this matter allows to use notify and commit (%(allowed)s).")
        if mode == Mode.COMMITMENT
        else _("Credit grade %(grade)s is not among the grades this matter allows to use the green channel (%(allowed)s).")
    )
    reasons.append(message % {"grade": grade, "allowed": "、".join(allowed)})


def entitlement_for(version: MatterVersion, facts: list[SubjectCreditFacts]) -> dict:
    """{"modes": [...], "grade": "B", "reasons": [...]} for one matter version."""
    grade, reasons = _effective_grade(facts)
    modes = [Mode.STANDARD.value]
    blocked = _blocks(version, facts)
    if blocked:
        return {"modes": modes, "grade": grade, "reasons": reasons + blocked}
    if version.allows_commitment:
        _grade_gate(Mode.COMMITMENT, grade, version.commitment_grades, modes, reasons)
    if version.allows_lenient:
        if grade != "D":
            modes.append(Mode.LENIENT.value)
        else:
            reasons.append(_("Credit grade D (seriously untrustworthy) excludes lenient acceptance."))
    if version.allows_green_channel:
        _grade_gate(Mode.GREEN, grade, version.green_channel_grades, modes, reasons)
    return {"modes": modes, "grade": grade, "reasons": reasons}


def _evidence(facts: list[SubjectCreditFacts]) -> list[dict]:
    return [
        {
            "role": f.role,
            "subject_id": f.subject.pk,
            "number": f.subject.number,
            "name": f.subject.name,
            "grade": f.grade and {"id": f.grade.pk, "grade": f.grade.grade, "source": f.grade.source,
                                  "assessed_on": f.grade.assessed_on.isoformat()},
            "dishonest": [{"id": d.pk, "list": d.list_name, "listed_on": d.listed_on.isoformat()} for d in f.dishonest],
            "restrictions": [{"id": r.pk, "scope": r.scope, "matter_id": r.matter_id, "legal_act": r.legal_act,
                              "ends_at": r.ends_at.isoformat()} for r in f.restrictions],
        }
        for f in facts
    ]


def credit_check_row(*, application: Application, stage: str, at: datetime, versions: list[MatterVersion],
                     facts: list[SubjectCreditFacts]) -> CreditCheck:
    """The unsaved check of one application from facts already looked up (a package's checks are saved together)."""
    return CreditCheck(
        application=application, stage=stage, checked_at=at, rule_version=RULE_VERSION,
        inputs={"at": at.isoformat(), "facts": _evidence(facts)},
        entitlements={str(v.pk): entitlement_for(v, facts) for v in versions},
        restricted=any(f.restrictions or f.dishonest for f in facts),
    )


@transaction.atomic
def credit_check_run(*, application_id: int, stage: str = CheckStage.INTAKE, at: datetime | None = None) -> CreditCheck:
    """Check the applicant's credit now and store the check with the entitlement per applied matter."""
    application = Application.objects.select_related("subject__legal_representative").get(pk=application_id)
    versions = [am.matter_version for am in application.matters.select_related("matter_version")]
    return credit_check_of(application, versions, stage=stage, at=at)


def credit_check_of(application: Application, versions: list[MatterVersion], *, stage: str,
                    at: datetime | None = None) -> CreditCheck:
    """credit_check_run for an application at hand whose matter versions the caller has (intake: just written),
    inside the caller's transaction."""
    at = at or timezone.now()
    facts = credit_facts(application.subject, at)
    check = credit_check_row(application=application, stage=stage, at=at, versions=versions, facts=facts)
    check.save()
    for listener in credit_check_listeners:
        listener(check, facts)
    return check


def credit_checks_run(*, applications: list[Application], stage: str, at: datetime | None = None
                      ) -> dict[int, CreditCheck]:
    """credit_check_run for many applications (a package): one look-up pass for all the applicants, the checks
    stored together. Each application's matters must be prefetched or cached. -> {application pk: check}"""
    at = at or timezone.now()
    facts = credit_facts_for([a.subject for a in applications], at)
    checks = [
        credit_check_row(application=a, stage=stage, at=at, facts=facts[a.subject_id],
                         versions=[am.matter_version for am in a.matters.all()])
        for a in applications
    ]
    CreditCheck.objects.bulk_create(checks)
    seen = [(check, facts[a.subject_id]) for check, a in zip(checks, applications)]
    for listener in credit_check_listeners:
        many = many_of(listener)
        if many is not None:
            many(seen)
        else:
            for check, check_facts in seen:
                listener(check, check_facts)
    return {check.application_id: check for check in checks}
