"""The documents of the sanctions ladder (case 14 Dezhou): 限期整改通知书, 撤销行政许可决定书, 违诺制约告知书,
issued in the act's transaction through sanctions' port and rendered after it commits like every document."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.models import ApplicationState

from .context import BUILDERS, _common
from .models import DocumentKind

logger = logging.getLogger(__name__)



def sanction_basis() -> tuple[str, str]:
    """The law behind the ladder, printed after the matter's own basis (in the recipient's language)."""
    return (_("Notify-and-commit rules"),
            "《中华人民共和国行政许可法》第六十九条；《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的"
            "指导意见》（国办发〔2020〕42号）")

ACT_KINDS = {
    "rectification_ordered": DocumentKind.RECTIFICATION_ORDER,
    "revoked": DocumentKind.REVOCATION_DECISION,
    "restricted": DocumentKind.RESTRICTION_NOTICE,
}


def holder_and_application(kind: str, obj):
    """(holder, application) of a sanctions act: the case's subject, and its application if any."""
    violation = obj if kind != DocumentKind.RESTRICTION_NOTICE else obj.violation
    return obj.subject, violation.application if violation is not None else None


def on_sanction_act(act: str, obj) -> None:
    """sanctions.ports.act_listeners: issue the act's document; never breaks the act (savepoint, logged) —
    a failed issue shows on the case page as a missing document and can be issued again from the admin."""
    from .services import document_issue

    kind = ACT_KINDS.get(act)
    if kind is None:
        return
    try:
        with transaction.atomic():
            document_issue(kind, obj)
    except Exception:  # noqa: BLE001
        logger.exception("issuing the %s document for %r failed", kind, obj)


def _bases(licences) -> list:
    seen, bases = set(), []
    for licence in licences:
        version = licence.application_matter.matter_version
        if version.pk not in seen:
            seen.add(version.pk)
            bases.append((version.matter.name, version.legal_basis))
    return bases + [sanction_basis()]


def _case(document, violation) -> dict:
    licences = list(violation.licences.select_related("matter", "application_matter__matter_version__matter"))
    context = _common(document, [])
    context["legal_bases"] = _bases(licences)
    return {**context, "violation": violation, "licences": licences}


def rectification_order_context(document) -> dict:
    return _case(document, document.act)


def revocation_decision_context(document) -> dict:
    violation = document.act
    application = violation.application
    terminated = application if application and application.state == ApplicationState.TERMINATED else None
    return {**_case(document, violation), "terminated": terminated,
            "restriction": violation.restrictions.order_by("pk").first()}


def restriction_notice_context(document) -> dict:
    restriction = document.act
    context = _common(document, [])
    licences = list(restriction.violation.licences.select_related("application_matter__matter_version__matter")
                    ) if restriction.violation_id else []
    context["legal_bases"] = _bases(licences)
    return {**context, "restriction": restriction, "violation": restriction.violation}


def documents_of(objects: list) -> list:
    """sanctions.ports.document_lookups: the documents issued for these acts (cases, restrictions)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from .models import Document

    if not objects:
        return []
    condition = Q()
    for obj in objects:
        condition |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return list(Document.objects.filter(condition).order_by("issued_at", "pk"))


def register() -> None:
    from sanctions import ports

    BUILDERS[DocumentKind.RECTIFICATION_ORDER] = ("documents/rectification_order.html", rectification_order_context)
    BUILDERS[DocumentKind.REVOCATION_DECISION] = ("documents/revocation_decision.html", revocation_decision_context)
    BUILDERS[DocumentKind.RESTRICTION_NOTICE] = ("documents/restriction_notice.html", restriction_notice_context)
    if on_sanction_act not in ports.act_listeners:
        ports.act_listeners.append(on_sanction_act)
    if documents_of not in ports.document_lookups:
        ports.document_lookups.append(documents_of)
