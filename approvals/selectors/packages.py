"""Reading packaged commitments (打包承诺): who may see which, who the listed persons are, what deciding produced."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from ..models import (
    Application, ApplicationState, CheckStage, CreditCheck, Licence, Mode, Package, Subject, SubjectKind,
)
from ..roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role
from .visibility import subjects_acting_for


def packages_visible_to(user) -> QuerySet[Package]:
    """Staff and supervisors see every package; others those of the organisations they act for."""
    if not user.is_authenticated:
        return Package.objects.none()
    if has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        return Package.objects.all()
    return Package.objects.filter(organisation__in=subjects_acting_for(user))


def organisations_acting_for(user) -> QuerySet[Subject]:
    """The organisations the user may file a package for as legal representative or authorised agent."""
    return subjects_acting_for(user).filter(kind=SubjectKind.ORGANISATION).order_by("name")


def persons_by_number(numbers: list[str]) -> dict[str, Subject]:
    """Registered persons by ID card number (normalised numbers in, those found out)."""
    return {s.number: s for s in Subject.objects.filter(kind=SubjectKind.PERSON, number__in=numbers)}


def package_counts(package: Package) -> dict[str, int]:
    """How many of the package's applications are in each state."""
    return dict(package.applications.order_by().values_list("state").annotate(n=Count("pk")))


@dataclass
class PackageRow:
    application: Application
    licence: Licence | None = None
    refused: list[str] = field(default_factory=list)  # why the decision-time check refused, if it did


def package_rows(package: Package, applications: QuerySet[Application] | None = None) -> list[PackageRow]:
    """Each person's application with its licence, or the reasons the decision-time check refused it (the
    latest decision check of an application still awaiting the decision). Three queries for any size."""
    applications = list((applications if applications is not None else package.applications.all())
                        .select_related("subject").order_by("pk"))
    ids = [a.pk for a in applications]
    licences = {lic.application_matter.application_id: lic for lic in
                Licence.objects.filter(application_matter__application_id__in=ids).select_related("application_matter")}
    waiting = [a.pk for a in applications if a.state == ApplicationState.COMMITTED]
    latest: dict[int, CreditCheck] = {}
    for check in (CreditCheck.objects.filter(application_id__in=waiting, stage=CheckStage.DECISION)
                  .order_by("application_id", "-checked_at", "-pk")):
        latest.setdefault(check.application_id, check)
    rows = []
    for application in applications:
        check = latest.get(application.pk)
        refused = []
        if check is not None:
            refused = ["；".join(e.get("reasons", [])) for e in check.entitlements.values()
                       if Mode.COMMITMENT not in e.get("modes", [])]
        rows.append(PackageRow(application=application, licence=licences.get(application.pk), refused=refused))
    return rows


def package_refused(package: Package) -> list[PackageRow]:
    """The people whose decision-time credit check refused notify-and-commit and who still await a decision."""
    waiting = package.applications.filter(state=ApplicationState.COMMITTED).filter(
        Q(credit_checks__stage=CheckStage.DECISION)).distinct()
    return [row for row in package_rows(package, waiting) if row.refused]
