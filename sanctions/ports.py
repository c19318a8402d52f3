"""Ports of sanctions: documents (a higher app) registers here to issue the document of each act."""

from collections.abc import Callable
from typing import Any

# called as listener(act, obj) in the act's transaction; acts: rectification_ordered (violation),
# revoked (violation), restricted (restriction), restriction_lifted / restriction_withdrawn (restriction),
# objection_filed / objection_decided (objection), repair_decided (repair); a listener ignores acts it does not know
act_listeners: list[Callable[[str, Any], Any]] = []


def announce(act: str, obj) -> None:
    for listener in act_listeners:
        listener(act, obj)


# the documents issued for these acts (a violation case, its restrictions), for the supervisor's and the
# subject's pages; each lookup returns items with get_kind_display, number, issued_at, status, pk, token
document_lookups: list[Callable[[list[Any]], list]] = []


def documents_for(objects: list) -> list:
    found: list = []
    for lookup in document_lookups:
        found.extend(lookup(objects))
    return found
