"""The application page lists its documents (kind, number, rendering status) with the PDF download once
rendered and the public verification link."""

import pytest
from django.urls import reverse

from documents.models import Document, RenderStatus
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.documents.test_documents import on_the_spot, person  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_application_page_lists_each_document_with_its_links(person, matter, staff, client,
                                                             django_capture_on_commit_callbacks):
    application, _licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    documents = list(application.documents.all())
    assert {d.kind for d in documents} == {"notice", "commitment_letter", "certificate"}
    for user in (person.user, staff):
        client.force_login(user)
        page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
        assert 'id="documents"' in page
        for d in documents:
            assert f'data-document="{d.pk}" data-kind="{d.kind}" data-status="rendered"' in page
            assert d.number in page and d.get_kind_display() in page
            assert reverse("documents:download", args=[d.pk]) in page
            assert reverse("documents:verify", args=[d.token]) in page
        response = client.get(reverse("documents:download", args=[documents[0].pk]))
        assert response.status_code == 200


def test_a_pending_document_has_no_download_link_yet(person, matter, staff, client,
                                                     django_capture_on_commit_callbacks):
    application, _licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    pending = application.documents.first()
    Document.objects.filter(pk=pending.pk).update(status=RenderStatus.PENDING)
    client.force_login(staff)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert f'data-document="{pending.pk}" data-kind="{pending.kind}" data-status="pending"' in page
    assert reverse("documents:download", args=[pending.pk]) not in page
    assert reverse("documents:verify", args=[pending.token]) in page
