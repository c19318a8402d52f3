"""A decided package (打包承诺) gets one certificate per licence, numbered together in the decision's transaction
and rendered after the commit by chunked tasks (never one render task per licence inside the request); beside
them the package's listing (证照清单). The staff member sees the progress on the package page."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Licence
from approvals.services import application_decide, package_decide
from approvals.services import package as package_services
from documents import batch, rendering, tasks
from documents.batch import package_certificates_issue
from documents.models import CertificateBatch, Document, DocumentKind, RenderStatus
from documents.selectors import package_certificates_progress
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.approvals.test_packaged_commitment import create, hospital, nurses, sign  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed_package(hospital):
    make_matter(code="HS-002")
    package = create(hospital, nurses(5))
    sign(package, hospital)
    return package


@pytest.fixture
def task_calls(monkeypatch):
    """Count the render tasks sent (they still run, in-process)."""
    calls = {"chunk": [], "single": []}
    # sent by the outbox (outbox.services._send: apply_async with the message key)
    chunk_send, single_send = tasks.certificates_render.apply_async, tasks.document_render.apply_async
    monkeypatch.setattr(tasks.certificates_render, "apply_async",
                        lambda args, kwargs=None, **o: (calls["chunk"].append(list(args[0])), chunk_send(args, kwargs, **o))[1])
    monkeypatch.setattr(tasks.document_render, "apply_async",
                        lambda args, kwargs=None, **o: (calls["single"].append(args[0]), single_send(args, kwargs, **o))[1])
    return calls


def certificates(package):
    return Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package=package).order_by("sequence")


def test_each_licence_gets_a_numbered_certificate_rendered_in_chunks(signed_package, staff, monkeypatch, task_calls,
                                                                     django_capture_on_commit_callbacks):
    monkeypatch.setattr(package_services, "DECIDE_CHUNK", 2)  # three decision transactions
    monkeypatch.setattr(batch, "RENDER_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        result = package_decide(package_id=signed_package.pk, by=staff)
    docs = list(certificates(signed_package))
    assert len(docs) == len(result["licences"]) == 5
    assert {d.object_id for d in docs} == {lic.pk for lic in result["licences"]}
    sequences = [d.sequence for d in docs]
    assert sequences == list(range(sequences[0], sequences[0] + 5))  # gapless, together
    assert all(d.status == RenderStatus.RENDERED and len(d.sha256) == 64 for d in docs), [d.error for d in docs]
    assert all(d.holder_id == Licence.objects.get(pk=d.object_id).holder_id for d in docs)
    assert task_calls["single"] == []  # no render task per licence
    assert sorted(pk for chunk in task_calls["chunk"] for pk in chunk) == sorted(d.pk for d in docs)
    assert all(len(chunk) <= 2 for chunk in task_calls["chunk"])
    listing = CertificateBatch.objects.get(package=signed_package)
    assert listing.closed and listing.listing_status == RenderStatus.RENDERED and listing.listing_count == 5
    assert listing.started_by == staff
    progress = package_certificates_progress(signed_package)
    assert (progress.licences, progress.rendered, progress.failed, progress.pending) == (5, 5, 0, 0) and progress.done


def test_issuing_again_or_a_duplicated_task_changes_nothing(signed_package, staff,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        package_decide(package_id=signed_package.pk, by=staff)
    before = {d.pk: (d.number, d.sha256) for d in certificates(signed_package)}
    listing_sha = CertificateBatch.objects.get(package=signed_package).listing_sha256
    with django_capture_on_commit_callbacks(execute=True):
        assert package_certificates_issue(package=signed_package, by=staff) == []
    tasks.certificates_render.delay(list(before))  # a redelivered task
    tasks.certificate_listing_render.delay(signed_package.pk)
    assert {d.pk: (d.number, d.sha256) for d in certificates(signed_package)} == before
    assert CertificateBatch.objects.get(package=signed_package).listing_sha256 == listing_sha


def test_the_listing_is_sent_first_and_made_beside_the_certificates(signed_package, staff,
                                                                     django_capture_on_commit_callbacks):
    """Its holders and numbers are fixed at the numbering: a worker makes it while others render the PDFs (a
    1,063-row table takes seconds), not alone after the last one."""
    from outbox.models import Message

    with django_capture_on_commit_callbacks(execute=False):  # decided, nothing sent or rendered yet
        package_decide(package_id=signed_package.pk, by=staff)
    sent = list(Message.objects.filter(task_name__startswith="documents.tasks.certificate").order_by("pk")
                .values_list("task_name", flat=True))
    assert sent[0] == "documents.tasks.certificate_listing_render"
    assert sent[1:] and set(sent[1:]) == {"documents.tasks.certificates_render"}
    tasks.certificate_listing_render.delay(signed_package.pk)
    listing = CertificateBatch.objects.get(package=signed_package)
    assert listing.listing_status == RenderStatus.RENDERED and listing.listing_count == 5
    assert certificates(signed_package).filter(status=RenderStatus.PENDING).count() == 5
    tasks.certificates_render.delay(list(certificates(signed_package).values_list("pk", flat=True)))
    assert certificates(signed_package).filter(status=RenderStatus.RENDERED).count() == 5
    again = CertificateBatch.objects.get(package=signed_package)  # current: not made again
    assert (again.listing_sha256, again.listing_rendered_at) == (listing.listing_sha256, listing.listing_rendered_at)
    assert package_certificates_progress(signed_package).done


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_listing_names_every_holder_and_number(signed_package, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        package_decide(package_id=signed_package.pk, by=staff)
    with CertificateBatch.objects.get(package=signed_package).listing.open("rb") as f:
        data = f.read()
    text = "".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
                   .stdout.decode().split())
    assert signed_package.title in text and signed_package.organisation.name in text
    for d in certificates(signed_package):
        licence = Licence.objects.get(pk=d.object_id)
        for field in (d.holder.name, d.number, licence.number, d.short_code):
            assert field in text, field
        assert d.holder.number not in text  # masked on the listing


def test_a_packaged_application_decided_alone_gets_its_certificate(signed_package, staff,
                                                                   django_capture_on_commit_callbacks):
    application = signed_package.applications.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        (licence,) = application_decide(application_id=application.pk, by=staff)
    (document,) = Document.objects.filter(kind=DocumentKind.CERTIFICATE, object_id=licence.pk)
    assert document.status == RenderStatus.RENDERED
    with django_capture_on_commit_callbacks(execute=True):
        package_decide(package_id=signed_package.pk, by=staff)
    assert certificates(signed_package).count() == 5


def test_package_page_shows_progress_and_failures_then_resumes(signed_package, staff, client, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    url = reverse("package_detail", args=[signed_package.pk])
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=False):  # decided, nothing rendered yet
        package_decide(package_id=signed_package.pk, by=staff)
    page = client.get(url).content.decode()
    assert 'id="certificates-progress" data-rendered="0" data-total="5"' in page
    assert 'http-equiv="refresh"' in page  # follows the progress without JavaScript
    assert 'id="certificates-resume"' not in page
    CertificateBatch.objects.filter(package=signed_package).update(started_at=timezone.now() - timedelta(minutes=11))
    assert 'id="certificates-resume"' in client.get(url).content.decode()  # the tasks were lost: offer to resume

    real = rendering.render_pdf
    monkeypatch.setattr(rendering, "render_pdf", lambda template, context: (_ for _ in ()).throw(
        RuntimeError("font exploded")) if template == "documents/certificate.html" else real(template, context))
    tasks.certificates_render.delay(list(certificates(signed_package).values_list("pk", flat=True)))
    page = client.get(url).content.decode()
    assert 'data-failed="5"' in page and 'id="certificates-resume"' in page and 'http-equiv="refresh"' not in page

    monkeypatch.setattr(rendering, "render_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:package_resume", args=[signed_package.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-rendered="5" data-total="5" data-failed="0"' in page
    listing_url = reverse("documents:package_listing", args=[signed_package.pk])
    assert listing_url in page and page.count(reverse("documents:download", args=[0])[:-6]) >= 5
    response = client.get(listing_url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_only_who_sees_the_package_gets_its_listing(signed_package, staff, client,
                                                   django_capture_on_commit_callbacks):
    from tests.approvals.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        package_decide(package_id=signed_package.pk, by=staff)
    url = reverse("documents:package_listing", args=[signed_package.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(reverse("documents:package_resume", args=[signed_package.pk])).status_code == 404
    client.force_login(signed_package.organisation.legal_representative.user)
    assert client.get(url).status_code == 200
    assert client.post(reverse("documents:package_resume", args=[signed_package.pk])).status_code == 403
