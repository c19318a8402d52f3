"""Ports of sanctions: documents (a higher app) registers here to issue the document of each act."""

from collections.abc import Callable
from typing import Any

# called as listener(act, obj) in the act's transaction; acts: rectification_ordered (violation),
# revoked (violation), restricted (restriction)
act_listeners: list[Callable[[str, Any], Any]] = []


def announce(act: str, obj) -> None:
    for listener in act_listeners:
        listener(act, obj)
