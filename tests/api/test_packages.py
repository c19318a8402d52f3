"""打包承诺 through the API: the hospital files a package by ID card numbers, reads it, signs once; staff decide
all. Refusals name the people; retries with an Idempotency-Key replay."""

import pytest

from approvals.models import Application, Licence, Package, Signature
from approvals.roles import APPLICANT
from approvals.services.texts import sha256_text
from tests.api.helpers import client_for
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital():
    hospital = OrganisationFactory(legal_representative=PersonFactory(user=UserFactory(role=APPLICANT)))
    for subject in (hospital, hospital.legal_representative):
        CreditGradeFactory(subject=subject, grade="A")
    make_matter(code="HS-002")
    return hospital


def nurses(n):
    people = [PersonFactory() for _ in range(n)]
    for person in people:
        CreditGradeFactory(subject=person, grade="A")
    return people


def file(client, hospital, numbers, **headers):
    return client.post("/api/packages/", {"organisation_id": hospital.pk, "matter_code": "HS-002",
                                          "title": "2026年第一批护士执业注册", "person_numbers": numbers},
                       format="json", headers=headers)


def test_file_read_sign_and_decide(hospital, staff):
    people = nurses(3)
    organisation = client_for(hospital.legal_representative.user)

    created = file(organisation, hospital, [p.number.lower() for p in people])

    assert created.status_code == 201, created.json()
    package = created.json()
    assert package["status"] == "ready" and package["people_count"] == 3 and package["matter_code"] == "HS-002"
    assert package["letter"]["sha256"] == sha256_text(package["letter"]["text"])
    assert package["signature"] is None and package["counts"] == {"notified": 3}
    assert [a["subject"]["name"] for a in package["applications"]] == [p.name for p in people]
    assert "*" in package["applications"][0]["subject"]["number"]  # masked for the organisation
    url = f"/api/packages/{package['id']}"
    assert organisation.get(f"{url}/").json() == package
    assert [p["id"] for p in organisation.get("/api/packages/").json()["results"]] == [package["id"]]

    signed = organisation.post(f"{url}/sign/", {"method": "password", "secret": PASSWORD}, format="json",
                               REMOTE_ADDR="10.9.8.7")
    assert signed.status_code == 200, signed.json()
    assert signed.json()["text_sha256"] == package["letter"]["sha256"] and signed.json()["ip_address"] == "10.9.8.7"
    assert organisation.get(f"{url}/").json()["counts"] == {"committed": 3}

    RestrictionFactory(subject=people[0])
    decided = client_for(staff).post(f"{url}/decide/")

    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert len(body["licences"]) == 2
    assert {lic["holder_name"] for lic in body["licences"]} == {p.name for p in people[1:]}
    (refused,) = body["refused"]
    assert refused["subject"]["name"] == people[0].name and refused["reasons"]
    detail = client_for(staff).get(f"{url}/").json()
    assert detail["counts"] == {"committed": 1, "decided": 2}
    rows = {a["subject"]["name"]: a for a in detail["applications"]}
    assert rows[people[0].name]["refused"] and rows[people[0].name]["licence_number"] is None
    assert rows[people[1].name]["licence_number"] in {lic["number"] for lic in body["licences"]}
    assert rows[people[1].name]["subject"]["number"] == people[1].number  # full for staff


def test_unknown_numbers_are_refused_and_nothing_is_created(hospital):
    known = nurses(1)[0]
    unregistered = PersonFactory.build().number
    response = file(client_for(hospital.legal_representative.user), hospital,
                    [known.number, unregistered, "110105199001011234"])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "people" and unregistered in " ".join(body["fields"]["person_numbers"])
    assert len(body["fields"]["person_numbers"]) == 2 and not Package.objects.exists()


def test_people_not_entitled_are_named_in_a_conflict(hospital):
    people = nurses(2)
    RestrictionFactory(subject=people[1])
    response = file(client_for(hospital.legal_representative.user), hospital, [p.number for p in people])
    assert response.status_code == 409
    assert response.json()["code"] == "entitlement" and people[1].name in " ".join(response.json()["detail"])
    assert not Package.objects.exists() and not Application.objects.exists()


def test_who_may_file_see_sign_and_decide(hospital, staff):
    people = nurses(2)
    outsider = client_for(PersonFactory(user=UserFactory(role=APPLICANT)).user)
    assert file(outsider, hospital, [p.number for p in people]).status_code == 403

    package = file(client_for(staff), hospital, [p.number for p in people]).json()  # window staff file too
    url = f"/api/packages/{package['id']}"
    assert outsider.get(f"{url}/").status_code == 404
    assert outsider.post(f"{url}/sign/", {"method": "password", "secret": PASSWORD}, format="json").status_code == 404
    assert client_for(staff).post(f"{url}/sign/", {"method": "password", "secret": PASSWORD},
                                  format="json").status_code == 403
    organisation = client_for(hospital.legal_representative.user)
    assert organisation.post(f"{url}/decide/").status_code == 403
    wrong = organisation.post(f"{url}/sign/", {"method": "password", "secret": "wrong"}, format="json")
    assert wrong.status_code == 400 and "secret" in wrong.json()["fields"]
    assert client_for(staff).post(f"{url}/decide/").status_code == 409  # not signed yet


def test_retries_with_the_same_key_replay(hospital, staff):
    people = nurses(2)
    organisation = client_for(hospital.legal_representative.user)
    first = file(organisation, hospital, [p.number for p in people], **{"Idempotency-Key": "pkg-1"})
    again = file(organisation, hospital, [p.number for p in people], **{"Idempotency-Key": "pkg-1"})
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert Package.objects.count() == 1
    url = f"/api/packages/{first.json()['id']}"
    organisation.post(f"{url}/sign/", {"method": "password", "secret": PASSWORD}, format="json")
    organisation.post(f"{url}/sign/", {"method": "password", "secret": PASSWORD}, format="json")
    assert Signature.objects.count() == 1

    desk = client_for(staff)
    decided = desk.post(f"{url}/decide/", headers={"Idempotency-Key": "decide-1"})
    replay = desk.post(f"{url}/decide/", headers={"Idempotency-Key": "decide-1"})
    assert decided.status_code == replay.status_code == 200 and replay.json() == decided.json()
    assert Licence.objects.count() == 2
    assert desk.post(f"{url}/decide/").status_code == 409  # a new request: nothing left to decide


def test_the_package_operations_are_in_the_schema(tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in ("/api/packages/", "/api/packages/{package_id}/sign/", "/api/packages/{package_id}/decide/"):
        operation = paths[path]["post"]
        assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"]) and "409" in operation["responses"]
    assert "200" in paths["/api/packages/{package_id}/"]["get"]["responses"]
