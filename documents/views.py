from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from approvals.roles import ADMINISTRATOR, WINDOW_STAFF, has_role
from approvals.selectors import applications_visible_to, packages_visible_to

from .batch import package_certificates_resume
from .models import CertificateBatch, Document, RenderStatus, VerificationLog
from .selectors import verification_for

VERIFY_LIMIT_PER_MINUTE = 30


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _rate_limited(ip) -> bool:
    key = f"documents:verify:{ip}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key) > VERIFY_LIMIT_PER_MINUTE
    except ValueError:
        return False


@never_cache
def verify(request, token: str):
    """Public, no login: what the QR code on a document leads to."""
    ip = _ip(request)
    if _rate_limited(ip):
        return HttpResponse(_("Too many verifications from your address; try again in a minute."), status=429)
    document = (Document.objects.select_related("holder", "superseded_by", "content_type")
                .filter(token=token).first())
    VerificationLog.objects.create(token=token[:64], document=document, ip=ip)
    if document is None:
        return render(request, "documents/verify.html", {"verification": None}, status=404)
    return render(request, "documents/verify.html", {"verification": verification_for(document),
                                                     "authority": settings.AUTHORITY_NAME})


@never_cache
def verify_code(request):
    """The short code printed under the QR code, typed by hand."""
    code = (request.GET.get("code") or "").strip().upper().replace("-", "").replace(" ", "")
    if code:
        document = Document.objects.filter(short_code=code).first()
        if document:
            return redirect("documents:verify", token=document.token)
    return render(request, "documents/verify_code.html", {"code": code, "not_found": bool(code)})


def _may_download(user, document) -> bool:
    """Whoever may see the application, the holder and whoever acts for it, and supervisors (a sanctions
    document need not belong to an application)."""
    from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role
    from approvals.selectors import subjects_acting_for

    if document.application_id and applications_visible_to(user).filter(pk=document.application_id).exists():
        return True
    return has_role(user, SUPERVISOR, ADMINISTRATOR) or subjects_acting_for(user).filter(pk=document.holder_id).exists()


@login_required
def download(request, pk: int):
    """The PDF, for the holder (or whoever acts for them) and staff."""
    document = get_object_or_404(Document, pk=pk, status=RenderStatus.RENDERED)
    if not _may_download(request.user, document):
        raise Http404
    return FileResponse(document.pdf.open("rb"), as_attachment=True, filename=f"{document.number}.pdf",
                        content_type="application/pdf")


@login_required
def package_listing(request, package_id: int):
    """The package's listing of certificates (证照清单), for whoever may see the package."""
    package = get_object_or_404(packages_visible_to(request.user), pk=package_id)
    batch = get_object_or_404(CertificateBatch, package=package, listing_status=RenderStatus.RENDERED)
    return FileResponse(batch.listing.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"certificates-package-{package.pk}.pdf")


@login_required
@require_POST
def package_resume(request, package_id: int):
    """Window staff: render again what failed or was lost (the page shows how many)."""
    package = get_object_or_404(packages_visible_to(request.user), pk=package_id)
    if not has_role(request.user, WINDOW_STAFF, ADMINISTRATOR):
        raise PermissionDenied
    count = package_certificates_resume(package_id=package.pk, by=request.user)
    messages.success(request, ngettext("%(count)d certificate queued for rendering.",
                                       "%(count)d certificates queued for rendering.", count) % {"count": count})
    return redirect(reverse("package_detail", args=[package.pk]) + "#certificates")
