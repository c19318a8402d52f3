"""The actions on the application page: each a POST that calls one service."""


from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import services
from ...models import Material, MaterialKind, ReauthMethod, Supplement
from .. import forms
from ._common import act, call_service, render_application, visible_application

@login_required
@require_POST
def choose_commitment(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="choose", form=forms.ActionForm(request.POST, prefix="choose"),
               call=lambda data: services.application_choose_commitment(application_id=pk, by=request.user),
               success=_("Notify-and-commit chosen. Read the notice, then sign the commitment letter."),
               anchor="next")


@login_required
@require_POST
def choose_standard(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="choose", form=forms.ActionForm(request.POST, prefix="choose"),
               call=lambda data: services.application_choose_standard(application_id=pk, by=request.user),
               success=lambda a: _("Sent to standard review; the decision is due by %(date)s.")
               % {"date": a.decision_due_on.isoformat()},
               anchor="next")


@login_required
@require_POST
def sign(request, pk):
    application = visible_application(request, pk)
    form = forms.SignForm(request.POST, prefix="sign")
    return act(request, application, key="sign", form=form,
               call=lambda data: services.signature_sign(
                   application_id=pk, user=request.user, method=data["method"], secret=form.secret(),
                   **services.request_evidence(request)),
               success=_("The commitment letter is signed. Your receipt is below."), anchor="signature")


@login_required
@require_POST
def otp(request, pk):
    """Send a one-time code, then show the signing form again as it was (the password is never echoed)."""
    application = visible_application(request, pk)
    form = forms.ActionForm(request.POST, prefix="otp")
    done, _result, status = call_service(form, lambda data: services.otp_request(user=request.user))
    sign_form = forms.SignForm(prefix="sign", initial={
        "method": ReauthMethod.ONE_TIME_CODE, "confirm": bool(request.POST.get("sign-confirm"))})
    return render_application(request, application, {"otp": form, "sign": sign_form, "code_sent": done}, status)


@login_required
@require_POST
def withdraw(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="withdraw", form=forms.WithdrawForm(request.POST, prefix="withdraw"),
               call=lambda data: services.signature_withdraw(application_id=pk, user=request.user,
                                                             reason=data["reason"]),
               success=_("Your commitment is withdrawn. You may choose how to proceed again."), anchor="next")


@login_required
@require_POST
def accept_lenient(request, pk):
    application = visible_application(request, pk)
    deferrable = Material.objects.filter(version__application_matters__application=application,
                                         kind=MaterialKind.DEFERRABLE).distinct()
    form = forms.LenientForm(request.POST, prefix="lenient", materials=deferrable)
    return act(request, application, key="lenient", form=form,
               call=lambda data: services.application_accept_lenient(
                   application_id=pk, by=request.user, missing_material_ids=data["materials"]),
               success=lambda supplements: _("Accepted with %(count)d material(s) deferred; the deadlines are listed "
                                             "under Supplements.") % {"count": len(supplements)},
               anchor="supplements")


@login_required
@require_POST
def decide(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="decide", form=forms.ActionForm(request.POST, prefix="decide"),
               call=lambda data: services.application_decide(application_id=pk, by=request.user),
               success=lambda licences: _("Decided. Licence(s) issued: %(numbers)s")
               % {"numbers": "、".join(lic.number for lic in licences)},
               anchor="licences")


@login_required
@require_POST
def reject(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="reject", form=forms.ReasonForm(request.POST, prefix="reject"),
               call=lambda data: services.application_reject(application_id=pk, by=request.user,
                                                             reason=data["reason"]),
               success=_("The application is rejected; the reasons are recorded."), anchor="timeline")


@login_required
@require_POST
def terminate(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="terminate", form=forms.ReasonForm(request.POST, prefix="terminate"),
               call=lambda data: services.application_terminate(application_id=pk, by=request.user,
                                                                reason=data["reason"]),
               success=_("Processing is terminated; the reason is recorded."), anchor="timeline")


@login_required
@require_POST
def convert(request, pk):
    application = visible_application(request, pk)
    return act(request, application, key="convert", form=forms.ReasonForm(request.POST, prefix="convert"),
               call=lambda data: services.application_convert_to_standard(application_id=pk, by=request.user,
                                                                          reason=data["reason"]),
               success=lambda a: _("Moved to standard review; the decision is due by %(date)s.")
               % {"date": a.decision_due_on.isoformat()},
               anchor="timeline")


@login_required
@require_POST
def upload_material(request, pk, material_id):
    application = visible_application(request, pk)
    material = get_object_or_404(Material.objects.filter(version__application_matters__application=application)
                                 .distinct(), pk=material_id)
    form = forms.UploadForm(request.POST, request.FILES, prefix=f"m{material.pk}")
    return act(request, application, key="upload", nest=material.pk, form=form,
               call=lambda data: services.application_upload_material(
                   application_id=pk, material_id=material.pk, upload=data["file"], by=request.user),
               success=lambda upload: _("“%(file)s” uploaded for %(material)s.")
               % {"file": upload.filename, "material": material.name},
               anchor=f"material-{material.pk}")


@login_required
@require_POST
def supplement_supply(request, pk, supplement_id):
    application = visible_application(request, pk)
    supplement = get_object_or_404(Supplement.objects.select_related("material"), pk=supplement_id,
                                   application=application)
    form = forms.UploadForm(request.POST, request.FILES, prefix=f"s{supplement.pk}")
    return act(request, application, key="supply", nest=supplement.pk, form=form,
               call=lambda data: services.supplement_supply(supplement_id=supplement.pk, upload=data["file"],
                                                            by=request.user),
               success=_("“%(material)s” supplied; the service window will review it.")
               % {"material": supplement.material.name},
               anchor=f"supplement-{supplement.pk}")


@login_required
@require_POST
def supplement_review(request, pk, supplement_id):
    application = visible_application(request, pk)
    supplement = get_object_or_404(Supplement.objects.select_related("material"), pk=supplement_id,
                                   application=application)
    accept = request.POST.get("decision") == "accept"
    form = forms.ReviewForm(request.POST, prefix=f"r{supplement.pk}")
    return act(request, application, key="review", nest=supplement.pk, form=form,
               call=lambda data: services.supplement_review(supplement_id=supplement.pk, by=request.user,
                                                            accept=accept, reason=data["reason"]),
               success=(_("“%(material)s” accepted.") if accept else _("“%(material)s” returned to the applicant."))
               % {"material": supplement.material.name},
               anchor=f"supplement-{supplement.pk}")
