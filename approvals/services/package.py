"""Packaged commitment (打包承诺, case 14 Dezhou: 1,063 nurse practising certificates in half a day):
an organisation signs one letter for many people; each person has an application; all are decided together."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Application, ApplicationState, Channel, CommitmentLetter, Matter, Package, Subject, SubjectKind
from ._common import Refused, acts_for, move, require_staff
from .decision import EntitlementChanged, application_decide
from .intake import commitment_refusals, create_checked_application, notify
from .signing import reauthenticate, sign_letter
from .texts import letter_text, sha256_text


@transaction.atomic
def package_create(*, organisation_id: int, matter_code: str, person_ids: list[int], title: str, by) -> Package:
    """One application per person, each credit-checked; those entitled are notified under one package letter.
    People not entitled to notify-and-commit are listed in the refusal and nothing is created."""
    organisation = Subject.objects.get(pk=organisation_id, kind=SubjectKind.ORGANISATION)
    if not acts_for(by, organisation):
        require_staff(by)
    matter = Matter.objects.get(code=matter_code)
    people = list(Subject.objects.filter(pk__in=person_ids, kind=SubjectKind.PERSON))
    if not people or len(people) != len(set(person_ids)):
        raise Refused({"people": _("List the registered persons the package covers.")})
    package = Package.objects.create(organisation=organisation, matter_version=matter.current_version(),
                                     title=title, created_by=by)
    applications, refused = [], []
    for person in people:
        application = create_checked_application(subject=person, matter_codes=[matter_code],
                                                 channel=Channel.PACKAGE, by=by)
        application.package = package
        application.save(update_fields=["package"])
        reasons = commitment_refusals(application)
        if reasons:
            refused.append(f"{person.name}：{'；'.join(reasons)}")
        applications.append(application)
    if refused:
        raise Refused([_("These people are not entitled to notify-and-commit; apply for them separately:")] + refused,
                      code="entitlement")
    for application in applications:
        notify(application, by=by)
    with translation.override(organisation.language):
        text = letter_text(signer=organisation, applications=applications, authority=settings.AUTHORITY_NAME)
    CommitmentLetter.objects.create(package=package, signer_subject=organisation, text=text, sha256=sha256_text(text))
    return package


def package_sign(*, package_id: int, user, method: str, secret: str, channel: str = "online",
                 ip_address: str | None = None, user_agent: str = ""):
    """The organisation's legal representative or agent signs the package letter once for everyone."""
    package = Package.objects.select_related("organisation").get(pk=package_id)
    if not acts_for(user, package.organisation):
        raise PermissionDenied(_("Only the organisation's legal representative or authorised agent may sign."))
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
        for application in Application.objects.select_for_update().filter(package=package,
                                                                          state=ApplicationState.NOTIFIED):
            move(application, "sign", by=user, action=_("signed"))
        return signature


def package_decide(*, package_id: int, by) -> dict:
    """Decide every committed application of the package; those whose credit changed are reported, not decided."""
    require_staff(by)
    licences, refused = [], {}
    pending = Application.objects.filter(package_id=package_id, state=ApplicationState.COMMITTED).order_by("pk")
    for application_id in pending.values_list("pk", flat=True):
        try:
            licences += application_decide(application_id=application_id, by=by)
        except EntitlementChanged as error:
            refused[application_id] = error.messages
    return {"licences": licences, "refused": refused}
