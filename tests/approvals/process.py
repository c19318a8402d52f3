"""Shared set-up for the application-process tests: a matter with every kind of material, a graded
applicant with a login, and window staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.roles import APPLICANT, WINDOW_STAFF
from tests.approvals.factories import (
    CommitmentItemFactory, CreditGradeFactory, MaterialFactory, MatterVersionFactory, PersonFactory, UserFactory,
)

PASSWORD = "pw-12345678"
# real (if tiny) files: uploads are opened and checked all the way through, not only by their first bytes
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08\x08\x00\x00\x00\x00\xe1d\xe1W"
       b"\x00\x00\x00\x10IDATx\x9cc\xfc\xcf\x00\x01L\x0c\x141\x00IA\x01\x0fy`\xf3\xf8\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = (b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n"
       b"/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n"
       b"/Resources <<\n>>\n/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n"
       b"0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n"
       b"/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n256\n%%EOF\n")


def png(name="scan.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_matter(code="WS-001", **kwargs):
    version = MatterVersionFactory(matter__code=code, statutory_limit_days=20, verification_window_days=90, **kwargs)
    MaterialFactory(version=version, name="营业执照")
    MaterialFactory(version=version, name="卫生检测报告", kind="deferrable", supplement_days=5)
    MaterialFactory(version=version, name="健康证明", kind="replaceable", replaces_proof="健康合格证明",
                    issuing_office="疾病预防控制机构")
    CommitmentItemFactory(version=version, text="经营场所面积、布局与申报一致")
    return version


@pytest.fixture
def staff():
    return UserFactory(role=WINDOW_STAFF)


@pytest.fixture
def applicant():
    person = PersonFactory(user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=person, grade="A")
    return person


@pytest.fixture
def matter():
    return make_matter()
