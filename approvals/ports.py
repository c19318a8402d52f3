"""Ports: approvals never imports a higher app; the higher apps register callables here in AppConfig.ready()."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

# role -> ["app_label.codename", ...]: permissions higher apps add to the role groups (roles_sync applies them)
role_permissions: dict[str, list[str]] = {}

# credit check: (subjects, at) -> {subject pk: [restriction in force]}; sanctions registers one
restriction_lookups: list[Callable[[list[Any], datetime], dict[int, list[Any]]]] = []

# a licence was issued (same transaction): inspections creates its verification obligation
licence_issued_handlers: list[Callable[..., Any]] = []

# a deferred material is overdue after the decision (容缺不补): sanctions opens a violation
supplement_overdue_after_decision_handlers: list[Callable[..., Any]] = []

# the application process moved on (same transaction): workflows keeps the viewflow process in step.
# called as listener(event, application); events: started, notified, standard_review, signed,
# signature_withdrawn, converted_to_standard, accepted_lenient, decided, rejected, failed, terminated
process_listeners: list[Callable[[str, Any], Any]] = []


def emit(event: str, application) -> None:
    for listener in process_listeners:
        listener(event, application)
