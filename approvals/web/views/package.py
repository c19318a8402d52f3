"""Pages of the packaged commitment (打包承诺, case 14 Dezhou): the organisation's legal representative or
authorised agent, or window staff, file one commitment for many persons; the organisation signs once; staff
decide all at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import ports, selectors, services
from ...models import Application, ApplicationState, Matter, Package, PackageStatus, ReauthMethod
from ...roles import ADMINISTRATOR, WINDOW_STAFF, has_role
from .. import forms
from ._common import call_service

ROWS_PER_PAGE = 200


def _window(user) -> bool:
    return has_role(user, WINDOW_STAFF, ADMINISTRATOR)


def visible_package(request, pk: int) -> Package:
    """The package, if the user may see it; 404 otherwise."""
    return get_object_or_404(selectors.packages_visible_to(request.user)
                             .select_related("organisation", "matter_version__matter", "created_by"), pk=pk)


def package_url(package: Package, anchor: str = "") -> str:
    return reverse("package_detail", args=[package.pk]) + (f"#{anchor}" if anchor else "")


def commitment_matters() -> list[Matter]:
    """Matters open for applications whose current version offers notify-and-commit."""
    return [m for m in Matter.objects.order_by("code")
            if (v := m.current_version()) is not None and v.allows_commitment]


def package_page(request, package: Package, bound: dict | None = None) -> dict:
    """The template context of the package page; `bound` holds the forms of a refused action."""
    bound = bound or {}
    user = request.user
    window = _window(user)
    signer = selectors.subjects_acting_for(user).filter(pk=package.organisation_id).exists()
    ready = package.status == PackageStatus.READY
    letter = getattr(package, "letter", None) if ready else None
    signature = letter.active_signature() if letter else None
    counts = selectors.package_counts(package)
    total = sum(counts.values())
    ids = Paginator(package.applications.order_by("pk").values_list("pk", flat=True), ROWS_PER_PAGE)
    page = ids.get_page(request.GET.get("page"))
    rows = selectors.package_rows(package, Application.objects.filter(pk__in=list(page.object_list)))
    # each row's certificate and its download link (Document.application, related_name "documents")
    prefetch_related_objects([row.application for row in rows], "documents")
    waiting = counts.get(ApplicationState.COMMITTED, 0)
    return {
        "package": package,
        "window": window,
        "signer": signer,
        "full_numbers": selectors.can_see_full_numbers(user),
        "ready": ready,
        "letter": letter,
        "signature": signature,
        "counts": [(ApplicationState(state).label, state, n) for state, n in sorted(counts.items())],
        "total": total or len(package.people),
        "decided": counts.get(ApplicationState.DECIDED, 0),
        "waiting": waiting,
        "refused": selectors.package_refused(package) if ready and signature else [],
        "rows": rows,
        "page": page,
        "can": {
            "sign": ready and signer and signature is None,
            "decide": ready and window and signature is not None and waiting > 0,
        },
        "forms": {
            "sign": bound.get("sign") or forms.SignForm(prefix="sign"),
            "otp": bound.get("otp") or forms.ActionForm(prefix="otp"),
            "decide": bound.get("decide") or forms.ActionForm(prefix="decide"),
        },
        "code_sent": bound.get("code_sent", False),
        **_extra_context(package, user),
    }


def _extra_context(package: Package, user) -> dict:
    """What higher apps add through the port (documents: the certificates' rendering progress)."""
    extra = {}
    for provider in ports.package_page_context:
        extra.update(provider(package=package, user=user))
    return extra


def render_package(request, package: Package, bound: dict | None = None, status: int = 200):
    return render(request, "approvals/process/package_detail.html", package_page(request, package, bound),
                  status=status)


@login_required
def package_list(request):
    user = request.user
    packages = (selectors.packages_visible_to(user).select_related("organisation", "matter_version__matter")
                .annotate(applications_count=Count("applications")).order_by("-created_at", "-pk"))
    page = Paginator(packages, 50).get_page(request.GET.get("page"))
    return render(request, "approvals/process/package_list.html", {
        "page": page, "full_numbers": selectors.can_see_full_numbers(user),
        "can_create": _window(user) or selectors.organisations_acting_for(user).exists(),
    })


@login_required
def package_new(request):
    """File a packaged commitment: the organisation, the matter, a title and the persons."""
    user = request.user
    window = _window(user)
    organisations = [] if window else list(selectors.organisations_acting_for(user))
    if not window and not organisations:
        raise PermissionDenied(_("Only an organisation's legal representative or authorised agent, or window "
                                 "staff, may file a packaged commitment."))
    matters = commitment_matters()
    form = forms.PackageForm(request.POST or None, request.FILES or None, organisations=organisations,
                             staff=window, matters=matters)
    status = 200
    if request.method == "POST":
        done, package, status = call_service(form, lambda data: services.package_create(
            organisation_id=data["organisation_id"], matter_code=data["matter"], person_ids=data["person_ids"],
            title=data["title"], by=user))
        if done:
            if package.status == PackageStatus.PREPARING:
                messages.success(request, _("The package for %(count)d persons is being prepared; this page shows "
                                            "when it is ready to sign.") % {"count": len(package.people)})
            else:
                messages.success(request, _("The package is ready: %(count)d applications, each credit-checked and "
                                            "notified. The organisation now signs the commitment letter once for "
                                            "everyone.") % {"count": len(package.people)})
            return redirect(package_url(package))
    return render(request, "approvals/process/package_new.html", {
        "form": form, "window": window, "organisations": organisations, "matters": matters,
    }, status=status)


@login_required
def package_detail(request, pk):
    return render_package(request, visible_package(request, pk))


@login_required
def package_letter_txt(request, pk):
    """The package's commitment letter as plain UTF-8 text, byte for byte what is signed."""
    package = visible_package(request, pk)
    letter = getattr(package, "letter", None)
    if letter is None:  # not prepared yet, or refused
        raise Http404
    response = HttpResponse(letter.text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"承诺书-打包-{package.pk}.txt")
    response["X-Content-SHA256"] = letter.sha256
    return response


def _act(request, package, *, key, form, call, success, anchor):
    done, result, status = call_service(form, call)
    if done:
        messages.success(request, success(result) if callable(success) else success)
        return redirect(package_url(package, anchor))
    return render_package(request, package, {key: form}, status=status)


@login_required
@require_POST
def package_sign(request, pk):
    package = visible_package(request, pk)
    form = forms.SignForm(request.POST, prefix="sign")
    return _act(request, package, key="sign", form=form,
                call=lambda data: services.package_sign(
                    package_id=package.pk, user=request.user, method=data["method"], secret=form.secret(),
                    **services.request_evidence(request)),
                success=_("The commitment letter is signed for every person in the package. Your receipt is below."),
                anchor="signature")


@login_required
@require_POST
def package_otp(request, pk):
    """Send a one-time code, then show the signing form again as it was (the password is never echoed)."""
    package = visible_package(request, pk)
    form = forms.ActionForm(request.POST, prefix="otp")
    done, _result, status = call_service(form, lambda data: services.otp_request(user=request.user))
    sign_form = forms.SignForm(prefix="sign", initial={
        "method": ReauthMethod.ONE_TIME_CODE, "confirm": bool(request.POST.get("sign-confirm"))})
    return render_package(request, package, {"otp": form, "sign": sign_form, "code_sent": done}, status)


@login_required
@require_POST
def package_decide(request, pk):
    package = visible_package(request, pk)

    def decided(result):
        message = _("Decided: %(licences)d licence(s) issued.") % {"licences": len(result["licences"])}
        if result["refused"]:
            message += " " + _("%(count)d person(s) not decided: their credit status changed since intake (listed "
                               "below).") % {"count": len(result["refused"])}
        return message

    return _act(request, package, key="decide", form=forms.ActionForm(request.POST, prefix="decide"),
                call=lambda data: services.package_decide(package_id=package.pk, by=request.user),
                success=decided, anchor="outcome")
