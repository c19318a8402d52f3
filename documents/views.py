from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from approvals.selectors import applications_visible_to

from .models import Document, RenderStatus, VerificationLog
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
    return render(request, "documents/verify.html", {"verification": verification_for(document)})


@never_cache
def verify_code(request):
    """The short code printed under the QR code, typed by hand."""
    code = (request.GET.get("code") or "").strip().upper().replace("-", "").replace(" ", "")
    if code:
        document = Document.objects.filter(short_code=code).first()
        if document:
            return redirect("documents:verify", token=document.token)
    return render(request, "documents/verify_code.html", {"code": code, "not_found": bool(code)})


@login_required
def download(request, pk: int):
    """The PDF, for the holder (or whoever acts for them) and staff."""
    document = get_object_or_404(Document, pk=pk, status=RenderStatus.RENDERED)
    if not applications_visible_to(request.user).filter(pk=document.application_id).exists():
        raise Http404
    return FileResponse(document.pdf.open("rb"), as_attachment=True, filename=f"{document.number}.pdf",
                        content_type="application/pdf")
