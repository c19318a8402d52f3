"""The ladder's documents (case 14 Dezhou) come from the supervisor's acts: rectification order, revocation
decision, restriction notice; each with the embedded font, its key fields, the remedies, and a verify page that
follows the act's current state. The certificate's verify page names the revocation decision."""

import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.roles import SUPERVISOR
from documents.models import DocumentKind, RenderStatus
from sanctions.services import (
    objection_decide, objection_file, violation_grade, violation_open_manual, violation_order_rectification,
    violation_revoke,
)
from tests.approvals.factories import UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.documents.test_documents import _media, doc, needs_poppler, on_the_spot, pdf_bytes, pdftotext, person  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR)


def case(person, supervisor, kind, licence, capture):
    with capture(execute=True):
        violation = violation_open_manual(subject=person, kind=kind, licences=[licence], by=supervisor,
                                          findings="所附场地租赁合同系伪造，出租方否认签署", evidence="出租方书面证明")
        violation_grade(violation_id=violation.pk, by=supervisor)
    return violation


def fonts_embedded(data: bytes) -> bool:
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    return bool(rows) and all(row.split()[-5] == "yes" for row in rows)


@needs_poppler
def test_level_three_issues_the_revocation_decision_and_the_restriction_notice(
        person, matter, staff, supervisor, client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _application, licence = on_the_spot(person, staff, capture)
    violation = case(person, supervisor, "false_materials", licence, capture)
    with capture(execute=True):
        violation_revoke(violation_id=violation.pk, by=supervisor, reason="以欺骗手段取得许可")
    restriction = violation.restrictions.get()
    decision = doc(DocumentKind.REVOCATION_DECISION, violation)
    notice = doc(DocumentKind.RESTRICTION_NOTICE, restriction)
    for document in (decision, notice):
        assert document.status == RenderStatus.RENDERED, document.error
        assert document.holder == person
        data = pdf_bytes(document)
        assert fonts_embedded(data)
        text = pdftotext(data).replace(" ", "")
        for field in (document.number, violation.number, person.name, person.number, "行政复议", "行政诉讼", "60日",
                      "6个月"):
            assert field in text, (document.kind, field)
    decision_text = pdftotext(pdf_bytes(decision)).replace(" ", "")
    assert "撤销行政许可决定书" in decision_text and licence.number in decision_text
    assert "行政许可法》第六十九条" in decision_text and "所附场地租赁合同系伪造" in decision_text
    notice_text = pdftotext(pdf_bytes(notice)).replace(" ", "")
    assert "违诺制约告知书" in notice_text and "重点监管对象" in notice_text
    assert timezone.localtime(restriction.ends_at).strftime("%Y年%-m月%-d日") in notice_text

    # the certificate's QR page says revoked at once, naming the decision
    certificate = doc(DocumentKind.CERTIFICATE, licence)
    page = client.get(reverse("documents:verify", args=[certificate.token])).content.decode()
    assert 'data-status="revoked"' in page and decision.number in page
    page = client.get(reverse("documents:verify", args=[notice.token])).content.decode()
    assert 'data-status="in_force"' in page and person.number not in page


@needs_poppler
def test_level_one_issues_the_rectification_order_with_its_deadline(person, matter, staff, supervisor,
                                                                    django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _application, licence = on_the_spot(person, staff, capture)
    violation = case(person, supervisor, "untrue", licence, capture)
    with capture(execute=True):
        violation = violation_order_rectification(violation_id=violation.pk, by=supervisor)
    order = doc(DocumentKind.RECTIFICATION_ORDER, violation)
    assert order.status == RenderStatus.RENDERED, order.error and order.number.startswith("ZG-")
    data = pdf_bytes(order)
    assert fonts_embedded(data)
    text = pdftotext(data).replace(" ", "")
    deadline = violation.rectification_deadline
    for field in ("限期整改通知书", violation.number, person.name, licence.number, "承诺不实",
                  f"{deadline.year}年{deadline.month}月{deadline.day}日", "行政复议"):
        assert field in text, field


def test_an_upheld_objection_shows_the_restriction_notice_as_withdrawn(person, matter, staff, supervisor, client,
                                                                       django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _application, licence = on_the_spot(person, staff, capture)
    violation = case(person, supervisor, "identity", licence, capture)
    with capture(execute=True):
        violation_revoke(violation_id=violation.pk, by=supervisor, reason="冒用他人身份")
    objection = objection_file(violation_id=violation.pk, by=person.user, grounds="身份被盗用")
    objection_decide(objection_id=objection.pk, by=supervisor, upheld=True, reasons="公安机关证明")
    notice = doc(DocumentKind.RESTRICTION_NOTICE, violation.restrictions.get())
    page = client.get(reverse("documents:verify", args=[notice.token])).content.decode()
    assert 'data-status="withdrawn"' in page


def test_the_subject_downloads_a_case_document_others_do_not(person, matter, staff, supervisor, client,
                                                             django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _application, licence = on_the_spot(person, staff, capture)
    violation = case(person, supervisor, "untrue", licence, capture)
    with capture(execute=True):
        violation_order_rectification(violation_id=violation.pk, by=supervisor)
    order = doc(DocumentKind.RECTIFICATION_ORDER, violation)
    url = reverse("documents:download", args=[order.pk])
    client.force_login(person.user)
    assert client.get(url).status_code == 200
    client.force_login(supervisor)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
