"""Ports the credit check asks; higher apps register their lookups here in AppConfig.ready().

A lookup takes (subjects, at) and returns {subject pk: facts in force at `at`} in one query."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

# sanctions registers restrictions_in_force(subjects, at) -> {pk: [Restriction]}
restriction_lookups: list[Callable[[list[Any], datetime], dict[int, list[Any]]]] = []
