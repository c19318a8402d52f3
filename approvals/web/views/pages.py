"""Read-only pages: the application page, the letter as text, an uploaded file, a licence."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from ... import selectors
from ...models import ApplicationMaterial, CommitmentLetter, Licence
from ._common import render_application, visible_application


@login_required
def application_detail(request, pk):
    return render_application(request, visible_application(request, pk))


@login_required
def letter_txt(request, pk):
    """The commitment letter as plain UTF-8 text, byte for byte what was signed (its SHA-256 matches)."""
    application = visible_application(request, pk)
    letter = (CommitmentLetter.objects.filter(application=application).first()
              or (application.package_id and CommitmentLetter.objects.filter(package_id=application.package_id).first()))
    if not letter:
        raise Http404
    response = HttpResponse(letter.text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"承诺书-{application.pk}.txt")
    response["X-Content-SHA256"] = letter.sha256
    return response


@login_required
def upload_download(request, pk, upload_id):
    application = visible_application(request, pk)
    upload = get_object_or_404(ApplicationMaterial, pk=upload_id, application=application)
    return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.filename,
                        content_type=upload.content_type)


def licence_detail(request, number):
    """A licence's particulars, holder masked: what a certificate's holder or anyone verifying it needs."""
    licence = get_object_or_404(
        Licence.objects.select_related("matter", "holder", "application_matter__matter_version",
                                       "application_matter__application"), number=number)
    application = licence.application_matter.application
    return render(request, "approvals/process/licence.html", {
        "licence": licence, "version": licence.application_matter.matter_version,
        "application": application
        if selectors.applications_visible_to(request.user).filter(pk=application.pk).exists() else None,
    })
