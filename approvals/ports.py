"""Ports: approvals never imports a higher app; the higher apps register callables here in AppConfig.ready()."""

from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any

# role -> ["app_label.codename", ...]: permissions higher apps add to the role groups (roles_sync applies them)
role_permissions: dict[str, list[str]] = {}

# credit check: (subjects, at) -> {subject pk: [restriction in force]}; sanctions registers one
restriction_lookups: list[Callable[[list[Any], datetime], dict[int, list[Any]]]] = []

# credit check: (subjects, at, imported grades {subject pk: CreditGrade}) -> {subject pk: grade}; a grade computed
# by a higher app (credit) replaces the imported one for the subjects it covers; it reads like a CreditGrade
# (pk, grade, source, assessed_on)
grade_providers: list[Callable[[list[Any], datetime, dict[int, Any]], dict[int, Any]]] = []

# a credit check was stored: listener(check, facts) with the SubjectCreditFacts it was made from
credit_check_listeners: list[Callable[[Any, list[Any]], Any]] = []

# a licence was issued (same transaction): inspections creates its verification obligation
licence_issued_handlers: list[Callable[..., Any]] = []

# a package's licences were issued together (package_decide, in each chunk's transaction, after the
# licence_issued handlers): documents numbers their certificates in one go and renders them in the background.
# called as handler(package=, licences=, by=, final=); final: the last chunk of this decision
package_decided_handlers: list[Callable[..., Any]] = []

# the package whose licences package_decide is issuing right now: licence_issued handlers may leave those
# licences to the package_decided_handlers (a licence of a packaged application decided alone is not left)
package_deciding: ContextVar[int | None] = ContextVar("package_deciding", default=None)

# extra template context for the package page: provider(package=, user=) -> dict (documents: certificates)
package_page_context: list[Callable[..., dict]] = []

# the supplement notice was issued (容缺受理, same transaction): handler(application=, supplements=)
supplements_issued_handlers: list[Callable[..., Any]] = []

# the decision-time credit check (批中核查) no longer allows the application's mode; the check is saved, the
# decision refused: handler(application=, reasons=[str]) in that transaction
entitlement_changed_handlers: list[Callable[..., Any]] = []

# a deferred material is overdue after the decision (容缺不补): sanctions opens a violation
supplement_overdue_after_decision_handlers: list[Callable[..., Any]] = []

# the application process moved on (same transaction): workflows keeps the viewflow process in step.
# called as listener(event, application); events: started, notified, standard_review, signed,
# signature_withdrawn, converted_to_standard, accepted_lenient, decided, rejected, failed, terminated
process_listeners: list[Callable[[str, Any], Any]] = []


# A listener of credit_check_listeners, licence_issued_handlers or process_listeners may also handle many at
# once, for the package paths (a chunk of a hundred applications): its `many` attribute, called with the list
# (credit checks: [(check, facts)]; licences: licences=[...]; process events: (event, [application])). Without
# it, the listener is called once per item, in the list's order.


def many_of(listener) -> Callable | None:
    return getattr(listener, "many", None)


def emit(event: str, application) -> None:
    for listener in process_listeners:
        listener(event, application)


def emit_many(event: str, applications: list) -> None:
    """emit() for many applications that made the same move (a package): each listener is told of each, in
    order; one with a `many` variant is told of them all in one call."""
    for listener in process_listeners:
        many = many_of(listener)
        if many is not None:
            many(event, applications)
        else:
            for application in applications:
                listener(event, application)
