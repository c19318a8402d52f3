"""Ports of inspections: sanctions (a higher app) registers here to act on a non-compliant check."""

from collections.abc import Callable
from typing import Any

# called as handler(record=…, failed_items=[ItemCheck], by=user) in the sign-off's transaction
noncompliance_handlers: list[Callable[..., Any]] = []
