"""打包承诺 through the pages: the hospital's legal representative files a package by pasting ID card numbers
(or uploading a CSV), sees the letter and its SHA-256 and each person's state, signs once; window staff decide
all and see the licences issued and the persons refused, with the reasons."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.otp import MemorySender
from approvals.models import Application, ApplicationState, Licence, Package, PackageStatus, Signature
from approvals.roles import APPLICANT
from approvals.services.texts import sha256_text
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory
from tests.web.flows import element, has_element

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]  # tasks in-process: see conftest


@pytest.fixture
def hospital():
    hospital = OrganisationFactory(legal_representative=PersonFactory(user=UserFactory(role=APPLICANT)))
    for subject in (hospital, hospital.legal_representative):
        CreditGradeFactory(subject=subject, grade="A")
    make_matter(code="HS-002")
    return hospital


@pytest.fixture
def director(hospital):
    return hospital.legal_representative.user


def nurses(n):
    people = [PersonFactory() for _ in range(n)]
    for person in people:
        CreditGradeFactory(subject=person, grade="A")
    return people


def file_package(client, hospital, numbers, **extra):
    data = {"organisation": hospital.pk, "matter": "HS-002", "title": "2026年第一批护士执业注册",
            "numbers": "\n".join(numbers), **extra}
    return client.post("/packages/new/", data)


def package_url(package):
    return f"/packages/{package.pk}/"


def row_states(html) -> list[str]:
    return re.findall(r'<tr data-application="\d+" data-state="(\w+)"', html)


def test_file_sign_and_decide_all_through_the_pages(client, hospital, director, staff):
    people = nurses(3)
    client.force_login(director)
    form = client.get("/packages/new/").content.decode()
    assert hospital.name in element(form, "organisation-choices") and "HS-002" in form

    response = file_package(client, hospital, [p.number for p in people])

    package = Package.objects.get()
    assert response.status_code == 302 and response.url == package_url(package)
    html = client.get(response.url).content.decode()
    assert element(html, "package-status").strip() and 'data-status="ready"' in html
    letter = package.letter
    assert element(html, "letter-sha256").strip() == letter.sha256 == sha256_text(letter.text)
    assert all(p.name in element(html, "letter-text") for p in people)
    table = element(html, "package-people-table")
    assert all(p.name in table for p in people) and row_states(html) == ["notified"] * 3
    assert people[0].number not in table  # masked for the organisation
    assert has_element(html, "sign-submit") and not has_element(html, "decide-submit")
    download = client.get(f"{package_url(package)}letter.txt")
    assert download.content == letter.text.encode("utf-8") and download["X-Content-SHA256"] == letter.sha256

    signed = client.post(f"{package_url(package)}sign/", {"sign-method": "password", "sign-password": PASSWORD,
                                                          "sign-confirm": "on"})
    assert signed.status_code == 302 and signed.url == f"{package_url(package)}#signature"
    html = client.get(package_url(package)).content.decode()
    assert Signature.objects.get().text_sha256 in element(html, "signature-sha256")
    assert row_states(html) == ["committed"] * 3 and not has_element(html, "sign-submit")
    assert not has_element(html, "decide-submit")  # the organisation does not decide

    RestrictionFactory(subject=people[1], legal_act="示审违诺〔2026〕7号")
    client.force_login(staff)
    html = client.get(package_url(package)).content.decode()
    assert people[0].number in element(html, "package-people-table")  # staff see the full numbers
    decided = client.post(f"{package_url(package)}decide/")

    assert decided.status_code == 302 and decided.url == f"{package_url(package)}#outcome"
    html = client.get(decided.url).content.decode()
    messages = html.split('<ul class="messages">')[1].split("</ul>")[0]
    assert "2" in messages and "1" in messages
    refused = element(html, "outcome-refused")
    assert people[1].name in refused and "示审违诺〔2026〕7号" in refused and people[0].name not in refused
    numbers = set(Licence.objects.values_list("number", flat=True))
    assert len(numbers) == 2 and all(n in element(html, "package-people-table") for n in numbers)
    assert "2" in element(html, "outcome-licences")
    assert row_states(html).count("committed") == 1  # the refused one stays signed: staff may check again later


def test_unknown_and_invalid_numbers_are_listed_and_nothing_is_created(client, hospital, director, staff):
    known = nurses(1)[0]
    unregistered = PersonFactory.build().number  # valid, but nobody registered it
    client.force_login(director)

    response = file_package(client, hospital, [known.number, unregistered, "110105199001011234"])

    assert response.status_code == 200 and not Package.objects.exists()
    errors = element(response.content.decode(), "package-people-errors")
    assert unregistered in errors and "line 3" in errors or "第3行" in errors
    assert known.number not in errors
    html = response.content.decode()
    assert has_element(html, "register-hint") and not has_element(html, "register-person")  # staff register

    client.force_login(staff)
    response = file_package(client, hospital, [unregistered], organisation_number=hospital.number)
    assert has_element(response.content.decode(), "register-person")
    assert 'href="/subjects/new/"' in response.content.decode()


def test_a_csv_file_with_names_as_excel_saves_it(client, hospital, director):
    people = nurses(2)
    csv = "姓名,身份证号码\r\n" + "".join(f"{p.name},{p.number}\r\n" for p in people)
    client.force_login(director)

    response = client.post("/packages/new/", {
        "organisation": hospital.pk, "matter": "HS-002", "title": "批次",
        "file": SimpleUploadedFile("护士名册.csv", csv.encode("gb18030"), content_type="text/csv")})

    package = Package.objects.get()
    assert response.status_code == 302 and package.applications.count() == 2

    wrong_name = f"身份证号码,姓名\n{people[0].number},李四\n"
    response = client.post("/packages/new/", {
        "organisation": hospital.pk, "matter": "HS-002", "title": "批次二",
        "file": SimpleUploadedFile("名册.csv", wrong_name.encode("utf-8-sig"), content_type="text/csv")})
    assert response.status_code == 200 and Package.objects.count() == 1
    assert "李四" in element(response.content.decode(), "package-people-errors")


def test_persons_not_entitled_are_named_and_nothing_is_created(client, hospital, director):
    people = nurses(3)
    RestrictionFactory(subject=people[2])
    client.force_login(director)

    response = file_package(client, hospital, [p.number for p in people])

    assert response.status_code == 200 and not Package.objects.exists() and not Application.objects.exists()
    errors = element(response.content.decode(), "package-errors")
    assert people[2].name in errors and people[0].name not in errors


def test_a_large_package_shows_that_it_is_being_prepared(client, hospital, director, settings,
                                                         django_capture_on_commit_callbacks):
    settings.PACKAGE_SYNC_LIMIT = 2
    people = nurses(3)
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = file_package(client, hospital, [p.number for p in people])
    package = Package.objects.get()
    html = client.get(response.url).content.decode()
    assert 'data-status="preparing"' in html and has_element(html, "preparing")
    assert 'http-equiv="refresh"' in html and not has_element(html, "sign-submit")

    callbacks[0]()  # the task (eager: no broker)
    package.refresh_from_db()
    html = client.get(package_url(package)).content.decode()
    assert package.status == PackageStatus.READY and 'data-status="ready"' in html
    assert has_element(html, "sign-submit") and 'http-equiv="refresh"' not in html


def test_signing_the_package_with_a_one_time_code(client, hospital, director, settings,
                                                 django_capture_on_commit_callbacks):
    settings.OTP_SENDER = "approvals.otp.MemorySender"
    MemorySender.outbox.clear()
    client.force_login(director)
    file_package(client, hospital, [p.number for p in nurses(2)])
    package = Package.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{package_url(package)}one-time-code/", {"sign-confirm": "on"})
    assert has_element(sent.content.decode(), "code-sent")
    code = MemorySender.outbox[-1][1]
    wrong = client.post(f"{package_url(package)}sign/", {"sign-method": "otp", "sign-code": "000000" if code != "000000"
                                                         else "111111", "sign-confirm": "on"})
    assert wrong.status_code == 200 and has_element(wrong.content.decode(), "sign-code-errors")
    signed = client.post(f"{package_url(package)}sign/",
                         {"sign-method": "otp", "sign-code": code, "sign-confirm": "on"})
    assert signed.status_code == 302
    assert set(package.applications.values_list("state", flat=True)) == {ApplicationState.COMMITTED}


def test_who_sees_and_files_packages(client, hospital, director, staff):
    client.force_login(director)
    file_package(client, hospital, [p.number for p in nurses(1)])
    package = Package.objects.get()
    home = client.get("/").content.decode()
    assert has_element(home, "home-new-package") and has_element(home, "home-my-packages")
    assert has_element(client.get("/applications/").content.decode(), "inbox-packages")
    assert package.title in client.get("/packages/").content.decode()

    nurse = package.applications.get()  # the organisation follows the applications it filed
    application_page = client.get(f"/applications/{nurse.pk}/").content.decode()
    assert has_element(application_page, "application-package")
    assert f'<a href="/packages/{package.pk}/">' in application_page
    assert not has_element(application_page, "sign-submit")  # the person's page: nothing for the organisation to do

    other = PersonFactory(user=UserFactory(role=APPLICANT))
    client.force_login(other.user)
    assert client.get("/packages/new/").status_code == 403
    assert client.get(package_url(package)).status_code == 404
    assert client.get(f"/applications/{nurse.pk}/").status_code == 404
    assert package.title not in client.get("/packages/").content.decode()
    assert not has_element(client.get("/").content.decode(), "home-new-package")

    client.force_login(staff)
    assert has_element(client.get("/").content.decode(), "home-packages")
    assert has_element(client.get("/applications/").content.decode(), "inbox-packages")
    html = client.get(package_url(package)).content.decode()
    assert has_element(html, "next") and not has_element(html, "sign-submit")  # waiting for the organisation
    staff_page = client.get(f"/applications/{nurse.pk}/").content.decode()
    assert f'<a href="/packages/{package.pk}/">' in staff_page


def test_staff_file_for_an_organisation_by_its_credit_code(client, hospital, staff):
    people = nurses(2)
    client.force_login(staff)
    form = client.get("/packages/new/").content.decode()
    assert 'name="organisation_number"' in form

    response = client.post("/packages/new/", {"organisation_number": "91000000MA0000000X", "matter": "HS-002",
                                              "title": "批次", "numbers": people[0].number})
    assert response.status_code == 200 and has_element(response.content.decode(), "register-organisation")

    response = client.post("/packages/new/", {"organisation_number": hospital.number.lower(), "matter": "HS-002",
                                              "title": "批次", "numbers": "\n".join(p.number for p in people)})
    package = Package.objects.get()
    assert response.status_code == 302 and package.organisation == hospital and package.created_by == staff
    assert re.search(r"\b2\b", element(client.get(package_url(package)).content.decode(), "package-people"))
