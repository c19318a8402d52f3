"""Shared set-up for the application-process tests: a matter with every kind of material, a graded
applicant with a login, and window staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.roles import APPLICANT, WINDOW_STAFF
from tests.approvals.factories import (
    CommitmentItemFactory, CreditGradeFactory, MaterialFactory, MatterVersionFactory, PersonFactory, UserFactory,
)

PASSWORD = "pw-12345678"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
