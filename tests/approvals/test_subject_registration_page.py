"""Registering a subject at the counter: a bad number is refused in Chinese, naming the field, and
nothing else typed is lost."""

import pytest

from approvals.models import Subject
from approvals.roles import WINDOW_STAFF
from tests.approvals.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=WINDOW_STAFF))
    return client


def test_bad_check_digit_keeps_the_other_fields(staff_client):
    page = staff_client.post("/subjects/new/", {
        "kind": "person", "name": "王小明", "number": "110105194912310021", "phone": "13912345678",
    })
    html = page.content.decode()
    assert page.status_code == 200
    assert "身份证号码：校验位" in html
    assert 'value="王小明"' in html and 'value="13912345678"' in html and 'value="110105194912310021"' in html
    assert not Subject.objects.exists()


def test_a_person_is_registered_with_the_normalised_number(staff_client):
    page = staff_client.post("/subjects/new/", {"kind": "person", "name": "王小明", "number": " 11010519491231002x"})
    subject = Subject.objects.get()
    assert page.status_code == 302 and page.url == f"/subjects/{subject.pk}/"
    assert subject.number == "11010519491231002X"


def test_an_organisation_needs_a_registered_legal_representative(staff_client):
    page = staff_client.post("/subjects/new/", {
        "kind": "organisation", "name": "示范有限公司", "number": "91110000600037341L",
        "legal_representative_number": "11010519491231002X",
    })
    assert "请先登记法定代表人" in page.content.decode()
    assert not Subject.objects.exists()

    rep = PersonFactory(number="11010519491231002X")
    page = staff_client.post("/subjects/new/", {
        "kind": "organisation", "name": "示范有限公司", "number": "91110000600037341L",
        "legal_representative_number": rep.number,
    })
    assert page.status_code == 302
    assert Subject.objects.get(number="91110000600037341L").legal_representative == rep


def test_a_bad_credit_code_names_its_field(staff_client):
    rep = PersonFactory()
    page = staff_client.post("/subjects/new/", {
        "kind": "organisation", "name": "示范有限公司", "number": "91110000600037341K",
        "legal_representative_number": rep.number,
    })
    assert "统一社会信用代码：校验" in page.content.decode()


def test_a_number_registered_twice_is_refused_clearly(staff_client):
    PersonFactory(number="11010519491231002X")
    page = staff_client.post("/subjects/new/", {"kind": "person", "name": "重复", "number": "11010519491231002X"})
    assert page.status_code == 200
    assert Subject.objects.count() == 1
    assert "该证件号码对应的申请人（主体）已登记" in page.content.decode()
