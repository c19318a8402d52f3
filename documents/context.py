"""One context builder per document kind: what the document says, read from the act it records."""

import os

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from approvals.models import ApplicationState, Licence

from .models import Document, DocumentKind


def public_base_url() -> str:
    return (getattr(settings, "PUBLIC_BASE_URL", "") or os.environ.get("PUBLIC_BASE_URL")
            or "http://127.0.0.1:8000").rstrip("/")


def verify_url(document: Document) -> str:
    return public_base_url() + reverse("documents:verify", args=[document.token])


def qr_for(url: str):
    return segno.make(url, error="m")


def _common(document: Document, versions) -> dict:
    url = verify_url(document)
    return {
        "document": document,
        "authority": settings.AUTHORITY_NAME,
        "holder": document.holder,
        "legal_bases": [(v.matter.name, v.legal_basis) for v in versions],
        "verify_url": url,
        "verify_home": public_base_url() + reverse("documents:verify_code"),
        "qr_svg": qr_for(url).svg_inline(scale=3, border=2),
    }


def _versions(application):
    return [am.matter_version for am in application.matters.select_related("matter_version__matter")]


def certificate_context(document: Document) -> dict:
    """证照: one per licence."""
    # in one query (a package renders a thousand of them): the licence, its matter and version's matter
    licence = Licence.objects.select_related("application_matter__matter_version__matter", "matter").get(
        pk=document.object_id)
    version = licence.application_matter.matter_version
    return {**_common(document, [version]), "licence": licence, "matter": licence.matter, "version": version}


def notice_context(document: Document) -> dict:
    """告知书: the notice text as issued to the applicant."""
    application = document.act
    return {**_common(document, _versions(application)), "application": application,
            "lines": application.notice.text.splitlines()}


def commitment_letter_context(document: Document) -> dict:
    """承诺书: the signed text exactly, line by line, and the evidence of the signature."""
    signature = document.act
    letter = signature.letter
    return {**_common(document, _versions(letter.application)), "letter": letter, "signature": signature,
            "lines": letter.text.splitlines()}


def supplement_notice_context(document: Document) -> dict:
    """容缺补正材料通知书: each deferred material with its deadline, and what missing it means."""
    application = document.act
    return {
        **_common(document, _versions(application)), "application": application,
        "supplements": list(application.supplements.select_related("material__version__matter")),
        "decided": application.state == ApplicationState.DECIDED,
        "before_decision": _("If a material is not supplied by its deadline before the decision, the formal review "
                             "is deemed failed (视为形式审查不通过) and the application ends."),
        "after_decision": _("If the licence has already been issued and a material is not supplied by its "
                            "deadline, this is the violation of not supplying deferred materials (容缺不补): the "
                            "licence may be revoked and you may be put on the restriction list."),
    }


def certificate_listing_context(batch) -> dict:
    """证照清单: the package's certificates, one row per holder, in the order of the applications (the batch's
    own document: what the organisation hands out against)."""
    package = batch.package
    certificates = (Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package=package)
                    .select_related("holder").order_by("application_id", "pk"))
    licences = Licence.objects.filter(application_matter__application__package=package).in_bulk()
    rows = [(d, licences.get(d.object_id)) for d in certificates]
    version = package.matter_version
    return {
        "authority": settings.AUTHORITY_NAME,
        "package": package,
        "batch": batch,
        "matter": version.matter,
        "version": version,
        "rows": rows,
        "issued_on": max((d.issued_at for d, _lic in rows), default=batch.started_at),
        "legal_bases": [(version.matter.name, version.legal_basis)],
        "verify_home": public_base_url() + reverse("documents:verify_code"),
    }


BUILDERS = {
    DocumentKind.CERTIFICATE: ("documents/certificate.html", certificate_context),
    DocumentKind.NOTICE: ("documents/notice.html", notice_context),
    DocumentKind.COMMITMENT_LETTER: ("documents/commitment_letter.html", commitment_letter_context),
    DocumentKind.SUPPLEMENT_NOTICE: ("documents/supplement_notice.html", supplement_notice_context),
}
