"""Packaged commitment (打包承诺, case 14 Dezhou: 1,063 nurse practising certificates in half a day):
an organisation signs one letter for many people; each person has an application; all are decided together.

Built for a thousand people at once: everyone's credit facts are looked up in one pass; the applications, their
intake credit checks, notices and state changes are saved in bulk through the same lifecycle transitions; each
application still tells the process listeners every move (so each has its viewflow process). A package of more
than settings.PACKAGE_SYNC_LIMIT people is prepared by a task (approvals.tasks.package_prepare)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import (
    Application, ApplicationMatter, ApplicationState, Channel, CheckStage, CommitmentLetter, CreditCheck,
    Matter, MatterVersion, Mode, Notice, Package, PackageStatus, StateChange, Subject, SubjectKind,
)
from ..ports import emit_many, package_decided_handlers, package_deciding
from ..selectors.credit import SubjectCreditFacts, credit_facts_for
from ._common import EVENTS, Refused, acts_for, move_many, plan, require_staff
from .calendar import add_working_days
from .credit_check import credit_check_row, entitlement_for
from .decision import applications_decide
from .signing import reauthenticate, sign_letter
from .texts import letter_text, notice_body, notice_text_for, sha256_text

# a package decides in transactions of this many applications: other writers get their turn in between
DECIDE_CHUNK = 100


def _commitment_version(matter_code: str) -> MatterVersion:
    matter = Matter.objects.filter(code=matter_code).first()
    if matter is None:
        raise Refused({"matter": _("Unknown matter(s): %(codes)s") % {"codes": matter_code}}, code="matters")
    version = matter.current_version()
    if version is None:
        raise Refused({"matter": _("%(matter)s is not open for applications.") % {"matter": matter.name}},
                      code="matters")
    if not version.allows_commitment:
        raise Refused({"matter": _("%(matter)s does not offer notify-and-commit, so it cannot be packaged.")
                       % {"matter": matter.name}}, code="matters")
    return version


def _persons(person_ids: list[int]) -> list[Subject]:
    """The registered persons, in the order given, each once."""
    ids = list(dict.fromkeys(person_ids))
    found = Subject.objects.filter(kind=SubjectKind.PERSON).in_bulk(ids)
    if not ids or len(found) != len(ids):
        raise Refused({"people": _("List the registered persons the package covers.")}, code="people")
    if len(ids) > settings.PACKAGE_MAX_PEOPLE:
        raise Refused({"people": _("A package covers at most %(max)d persons; split the list.")
                       % {"max": settings.PACKAGE_MAX_PEOPLE}}, code="people")
    return [found[pk] for pk in ids]


def _not_entitled(version: MatterVersion, people: list[Subject], facts: dict[int, list[SubjectCreditFacts]],
                  *, with_reasons: bool = True) -> list[str]:
    """Who may not use notify-and-commit for the matter, and why (from the credit facts, 批前信用核验).
    Without reasons for an organisation filing for others: their credit data is theirs and the staff's."""
    refused = []
    for person in people:
        entitlement = entitlement_for(version, facts[person.pk])
        if Mode.COMMITMENT not in entitlement["modes"]:
            why = "；".join(entitlement["reasons"]) or _("this matter does not offer notify-and-commit")
            refused.append(f"{person.name}（{person.masked_number}）" + (f"：{why}" if with_reasons else ""))
    return refused


def _refusal(refused: list[str]) -> Refused:
    return Refused([_("These people are not entitled to notify-and-commit; apply for them separately:")] + refused,
                   code="entitlement")


@transaction.atomic
def package_create(*, organisation_id: int, matter_code: str, person_ids: list[int], title: str, by) -> Package:
    """A packaged commitment by the organisation's legal representative or authorised agent, or window staff:
    every person is credit-checked (逢办必查); if anyone is not entitled to notify-and-commit, the refusal names
    them and nothing is created. Otherwise each person gets an application, notified under one package letter;
    a large package is prepared in the background (status `preparing` until then)."""
    organisation = Subject.objects.filter(pk=organisation_id, kind=SubjectKind.ORGANISATION).first()
    if organisation is None:
        raise Refused({"organisation": _("Choose a registered organisation.")}, code="organisation")
    staff = not acts_for(by, organisation)
    if staff:
        require_staff(by)
    title = (title or "").strip()
    if not title:
        raise Refused({"title": _("Give the package a title, e.g. the batch it registers.")}, code="title")
    version = _commitment_version(matter_code)
    people = _persons(person_ids)
    at = timezone.now()
    facts = credit_facts_for(people, at)
    refused = _not_entitled(version, people, facts, with_reasons=staff)
    if refused:
        raise _refusal(refused)
    package = Package(organisation=organisation, matter_version=version, title=title, created_by=by,
                      people=[p.pk for p in people], status=PackageStatus.PREPARING)
    package.full_clean()
    package.save()
    if len(people) > settings.PACKAGE_SYNC_LIMIT:
        import outbox

        # through the outbox: written with the package, sent at commit, relayed if the broker was away; a lost
        # run also leaves it `preparing`, and packages_prepare_sweep (beat) prepares it later
        outbox.enqueue("approvals.tasks.package_prepare", [package.pk], key=f"package-prepare:{package.pk}")
        return package
    return _prepare(package, people=people, facts=facts, at=at)


@transaction.atomic
def package_prepare(*, package_id: int) -> Package:
    """The background half of package_create for a large package. Idempotent: a package already prepared (or
    refused) is returned as it is. The credit check is run again now: it is what each application records."""
    package = (Package.objects.select_for_update(of=("self",))
               .select_related("organisation", "matter_version__matter", "created_by").get(pk=package_id))
    if package.status != PackageStatus.PREPARING:
        return package
    found = Subject.objects.filter(kind=SubjectKind.PERSON).in_bulk(package.people)
    missing = [pk for pk in package.people if pk not in found]
    if missing:
        return _fail(package, [_("%(count)d of the persons are no longer registered.") % {"count": len(missing)}])
    people = [found[pk] for pk in package.people]
    at = timezone.now()
    return _prepare(package, people=people, facts=credit_facts_for(people, at), at=at)


def packages_prepare_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> dict:
    """Prepare the packages still `preparing` some minutes after they were filed (the enqueue after the commit
    failed, e.g. the broker was down, or the worker was lost): the database, not the broker, remembers them.
    Safe to re-run and to overlap with the task: package_prepare locks the package and does nothing twice."""
    stuck = Package.objects.filter(status=PackageStatus.PREPARING, created_at__lt=timezone.now() - older_than)
    result = {"prepared": 0, "failed": 0}
    for pk in stuck.order_by("pk").values_list("pk", flat=True):
        package = package_prepare(package_id=pk)
        result["prepared" if package.status == PackageStatus.READY else "failed"] += 1
    return result


def _fail(package: Package, refusals: list[str]) -> Package:
    package.status, package.refusals = PackageStatus.FAILED, refusals
    package.save(update_fields=["status", "refusals"])
    return package


def _prepare(package: Package, *, people: list[Subject], facts: dict, at) -> Package:
    """Create, submit, credit-check and notify one application per person, in bulk; then the package letter."""
    version, by = package.matter_version, package.created_by
    refused = _not_entitled(version, people, facts, with_reasons=not acts_for(by, package.organisation))
    if refused:  # someone lost the entitlement between the request and the preparation
        return _fail(package, _refusal(refused).messages)
    due = add_working_days(timezone.localdate(at), settings.COMMITMENT_DECISION_DAYS)
    applications, steps = [], []
    for person in people:
        application = Application(subject=person, channel=Channel.PACKAGE, created_by=by, package=package,
                                  submitted_at=at, mode=Mode.COMMITMENT, decision_due_on=due)
        # the same transitions application_start and notify make, checked by the lifecycle
        steps.append(plan(application, "submit", "check", "choose_commitment", by=by, action=_("notified")))
        applications.append(application)
    Application.objects.bulk_create(applications)
    ApplicationMatter.objects.bulk_create(
        [ApplicationMatter(application=a, matter_version=version, mode=Mode.COMMITMENT) for a in applications])
    CreditCheck.objects.bulk_create([
        credit_check_row(application=a, stage=CheckStage.INTAKE, at=at, versions=[version], facts=facts[a.subject_id])
        for a in applications])
    StateChange.objects.bulk_create([StateChange.row(a, source, target, by=by)
                                     for a, changes in zip(applications, steps) for source, target in changes])
    Notice.objects.bulk_create(_notices(applications, version))
    # each application tells the listeners both moves, in order, as application_start and notify do
    for application in applications:
        application.state = ApplicationState.CHECKED
    emit_many(EVENTS["check"], applications)
    for application in applications:
        application.state = ApplicationState.NOTIFIED
    emit_many(EVENTS["choose_commitment"], applications)
    organisation = package.organisation
    with translation.override(organisation.language):  # a legal document, in the signer's language
        text = letter_text(signer=organisation, applications=applications, authority=settings.AUTHORITY_NAME)
    CommitmentLetter.objects.create(package=package, signer_subject=organisation, text=text, sha256=sha256_text(text))
    package.status, package.prepared_at, package.refusals = PackageStatus.READY, timezone.now(), []
    package.save(update_fields=["status", "prepared_at", "refusals"])
    return package


def _notices(applications: list[Application], version: MatterVersion) -> list[Notice]:
    """Each person's notice, in their language; the part about the matter is compiled once per language."""
    bodies: dict[str, str] = {}
    notices = []
    for application in applications:
        language = application.subject.language
        with translation.override(language):
            if language not in bodies:
                bodies[language] = notice_body([version])
            text = notice_text_for(name=application.subject.name, authority=settings.AUTHORITY_NAME,
                                   body=bodies[language])
        notices.append(Notice(application=application, text=text, sha256=sha256_text(text)))
    return notices


def _ready(package: Package) -> None:
    if package.status == PackageStatus.PREPARING:
        raise Refused(_("The applications of this package are still being prepared; try again in a moment."),
                      code="state")
    if package.status == PackageStatus.FAILED:
        raise Refused(_("This package was refused when it was prepared; nothing can be signed or decided."),
                      code="state")


def package_sign(*, package_id: int, user, method: str, secret: str, channel: str = "online",
                 ip_address: str | None = None, user_agent: str = ""):
    """The organisation's legal representative or agent signs the package letter once for everyone; every
    application awaiting the signature moves on. Signing again returns the same signature."""
    package = Package.objects.select_related("organisation").get(pk=package_id)
    if not acts_for(user, package.organisation):
        raise PermissionDenied(_("Only the organisation's legal representative or authorised agent may sign."))
    _ready(package)
    if package.letter.active_signature():
        return package.letter.active_signature()  # idempotent
    reauthenticate(user, method, secret)  # outside the transaction: a wrong code counts
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package_id)
        letter = package.letter
        if letter.active_signature():
            return letter.active_signature()
        signature = sign_letter(letter, user=user, method=method, channel=channel, ip_address=ip_address,
                                user_agent=user_agent)
        waiting = list(Application.objects.select_for_update().filter(package=package,
                                                                      state=ApplicationState.NOTIFIED).order_by("pk"))
        move_many(waiting, "sign", by=user, action=_("signed"))
        return signature


def package_decide(*, package_id: int, by) -> dict:
    """Decide every signed application of the package on the spot (当场发证), re-checking each person's credit
    first (批中核查). Those whose credit changed are reported with the reasons, not decided; they stay signed
    for staff to move to standard review or terminate one by one.
    -> {"licences": [Licence], "refused": {application id: [messages]}}"""
    require_staff(by)
    package = Package.objects.get(pk=package_id)
    _ready(package)
    if not package.letter.active_signature():
        raise Refused(_("The organisation has not signed the package's commitment letter yet."), code="state")
    pending = list(Application.objects.filter(package=package, state=ApplicationState.COMMITTED)
                   .order_by("pk").values_list("pk", flat=True))
    if not pending:
        raise Refused(_("No application of this package awaits a decision."), code="state")
    licences, refused = [], {}
    for start in range(0, len(pending), DECIDE_CHUNK):
        chunk = pending[start:start + DECIDE_CHUNK]
        with transaction.atomic():
            Package.objects.select_for_update().filter(pk=package_id).first()  # one decider at a time
            applications = list(
                Application.objects.select_for_update(of=("self",))
                .filter(pk__in=chunk, state=ApplicationState.COMMITTED)  # a concurrent decider may have been first
                .select_related("subject").order_by("pk")
                .prefetch_related(Prefetch("matters", queryset=ApplicationMatter.objects.select_related(
                    "matter_version__matter").order_by("pk"))))
            issued = []
            if applications:
                deciding = package_deciding.set(package_id)
                try:
                    issued, not_decided = applications_decide(applications=applications, by=by)
                finally:
                    package_deciding.reset(deciding)
                licences += issued
                refused.update(not_decided)
            for handler in package_decided_handlers:  # the certificates, numbered together
                handler(package=package, licences=issued, by=by, final=start + DECIDE_CHUNK >= len(pending))
    return {"licences": licences, "refused": refused}
