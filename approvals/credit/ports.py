"""Ports the credit check asks; higher apps register their lookups here in AppConfig.ready().

A lookup takes (subject, at) and returns the facts it knows, newest first."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

# sanctions registers active_restrictions(subject, at) -> list[Restriction]
restriction_lookups: list[Callable[[Any, datetime], list[Any]]] = []
