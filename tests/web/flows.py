"""Shared steps for the page tests: the process up to a given state, through the services, and the page's text."""

import re
from html import unescape

from approvals.services import application_choose_commitment, application_start, signature_sign
from tests.approvals.process import PASSWORD

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


def started(person, *, by=None, codes=("WS-001",), channel="online"):
    return application_start(subject_id=person.pk, matter_codes=list(codes), channel=channel, by=by or person.user)


def notified(person, **kwargs):
    application = started(person, **kwargs)
    application_choose_commitment(application_id=application.pk, by=kwargs.get("by") or person.user)
    return application


def committed(person, **kwargs):
    application = notified(person, **kwargs)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
    return application


def page_url(application) -> str:
    return f"/applications/{application.pk}/"


def element(html: str, element_id: str) -> str:
    """The text inside the element with this id (up to its closing tag of the same name), tags stripped."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id} on the page"
    return unescape(re.sub(r"<[^>]+>", " ", match.group(2)))


def has_element(html: str, element_id: str) -> bool:
    return f'id="{element_id}"' in html
