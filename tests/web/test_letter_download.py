"""The commitment letter downloads as UTF-8 text, exactly the signed text (its SHA-256 matches)."""

import hashlib

import pytest

from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import committed, page_url, started

pytestmark = pytest.mark.django_db


def test_letter_txt_is_the_exact_letter(client, applicant, matter):
    application = committed(applicant)
    client.force_login(applicant.user)

    response = client.get(f"{page_url(application)}letter.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode("utf-8") == application.letter.text
    assert hashlib.sha256(response.content).hexdigest() == application.letter.sha256
    assert application.subject.name in response.content.decode("utf-8")


def test_no_letter_before_notify_and_commit(client, applicant, matter):
    application = started(applicant)
    client.force_login(applicant.user)
    assert client.get(f"{page_url(application)}letter.txt").status_code == 404
