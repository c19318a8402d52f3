"""verify_documents re-reads every stored PDF and finds the ones missing or changed since they were rendered."""

import io

import pytest
from django.core.management import call_command

from documents.models import Document, RenderStatus
from tests.approvals.process import applicant, make_matter, matter, staff  # noqa: F401
from tests.documents.test_documents import on_the_spot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def verify_documents() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_documents", stdout=out)
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue()


def test_verify_documents_finds_a_changed_and_a_missing_file(applicant, matter, staff,  # noqa: F811
                                                              django_capture_on_commit_callbacks):
    on_the_spot(applicant, staff, django_capture_on_commit_callbacks)
    documents = list(Document.objects.filter(status=RenderStatus.RENDERED).order_by("pk"))
    assert len(documents) == 3
    code, out = verify_documents()
    assert code == 0 and "共核验 3 个文件，缺失 0 个，被改动 0 个" in out, out

    changed, missing = documents[0], documents[1]
    path = changed.pdf.path
    with open(path, "r+b") as pdf:  # one byte altered, the size kept
        pdf.seek(200)
        byte = pdf.read(1)
        pdf.seek(200)
        pdf.write(bytes([byte[0] ^ 0xFF]))
    missing.pdf.storage.delete(missing.pdf.name)

    code, out = verify_documents()
    assert code == 1
    assert f"被改动 {changed.number}" in out and f"缺失 {missing.number}" in out
    assert documents[2].number not in out
    assert "缺失 1 个，被改动 1 个" in out and "scripts/restore" in out
