"""One of everything, made through the services, for the access matrix: applicant A's application (signed,
decided on the spot: licence and documents), a package A files for A's company, a level-3 case against A (its
licence revoked, a restriction imposed) with A's objection, a concluded level-1 case with A's repair request,
a draw that assigns an inspector to check A's second licence; and applicant B, window staff, two inspectors
(one assigned), a supervisor and an administrator."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from approvals.models import Licence, Package
from approvals.roles import ADMINISTRATOR, APPLICANT, INSPECTOR, SUPERVISOR, WINDOW_STAFF
from approvals.services import application_decide
from documents.models import Document
from inspections.models import Assignment
from inspections.services import draw_define, draw_run
from sanctions import services as sanctions
from sanctions.models import Restriction
from tests.api.helpers import client_for
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import make_matter
from tests.web.flows import committed

ROLES = ["anonymous", "applicant_a", "applicant_b", "window_staff", "inspector_assigned", "inspector_other",
         "supervisor", "administrator"]


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    secrets: list = field(default_factory=list)  # strings that only those allowed may see


def build(capture) -> World:
    world = World()
    version = make_matter()
    make_matter(code="HS-002")
    a = PersonFactory(user=UserFactory(role=APPLICANT), name="甲申请人", phone="13811112222")
    b = PersonFactory(user=UserFactory(role=APPLICANT), name="乙申请人")
    for person in (a, b):
        CreditGradeFactory(subject=person, grade="A")
    staff = UserFactory(role=WINDOW_STAFF)
    supervisor = UserFactory(role=SUPERVISOR)
    inspectors = [UserFactory(role=INSPECTOR) for _ in range(3)]
    admin = UserFactory(role=ADMINISTRATOR, is_staff=True)
    with capture(execute=True):
        first = committed(a)
        (licence,) = application_decide(application_id=first.pk, by=staff)
        second = committed(a)
        (checked_licence,) = application_decide(application_id=second.pk, by=staff)
    # a package for A's company, filed by A as its legal representative
    company = OrganisationFactory(legal_representative=a)
    CreditGradeFactory(subject=company, grade="A")
    nurse = PersonFactory()
    CreditGradeFactory(subject=nurse, grade="A")
    filed = client_for(a.user).post("/api/packages/", {"organisation_id": company.pk, "matter_code": "HS-002",
                                                       "title": "护士执业注册", "person_numbers": [nurse.number]},
                                    format="json")
    assert filed.status_code == 201, filed.content
    package = Package.objects.get(pk=filed.json()["id"])
    # a draw: two inspectors check A's licences (a third is not assigned)
    today = timezone.localdate()
    with capture(execute=True):
        draw = draw_define(by=supervisor, title="核查", matters=[version.matter], issued_from=today - timedelta(days=3),
                           issued_to=today, inspectors=inspectors[:2], seed_number="100200")
        draw = draw_run(draw_id=draw.pk, by=supervisor)
    assignment = Assignment.objects.select_related("obligation").filter(inspector=inspectors[0]).first()
    # cases against A: level 3 (revoke + restrict) with an objection; level 1 concluded with a repair request
    with capture(execute=True):
        grave = sanctions.violation_open_manual(subject=a, kind="false_materials", findings="伪造检测报告",
                                                evidence="核查记录", licences=[licence], by=supervisor)
        sanctions.violation_grade(violation_id=grave.pk, by=supervisor, level=3)
        sanctions.violation_revoke(violation_id=grave.pk, by=supervisor, reason="弄虚作假")
        objection = sanctions.objection_file(violation_id=grave.pk, by=a.user, grounds="检测报告系机构出具")
        repair = sanctions.repair_file(violation_id=grave.pk, by=a.user, evidence="已整改并重新检测")
    restriction = Restriction.objects.get(violation=grave)
    document = Document.objects.filter(token__gt="").order_by("pk").first()
    world.users = {"anonymous": None, "applicant_a": a.user, "applicant_b": b.user, "window_staff": staff,
                   "inspector_assigned": inspectors[0], "inspector_other": inspectors[2], "supervisor": supervisor,
                   "administrator": admin}
    world.objects = {"application": first, "licence": licence, "checked_licence": checked_licence,
                     "package": package, "violation": grave, "objection": objection, "repair": repair,
                     "restriction": restriction, "obligation": assignment.obligation, "draw": draw,
                     "document": document, "company": company}
    world.secrets = [a.number, a.phone]
    return world


def licence_numbers():
    return list(Licence.objects.values_list("number", flat=True))
