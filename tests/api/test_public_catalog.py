"""The matter catalog is public: the current version with its materials, commitment items, modes and grades."""

import pytest
from rest_framework.test import APIClient

from approvals.services import matter_version_revise
from tests.approvals.factories import MatterFactory
from tests.approvals.process import make_matter

pytestmark = pytest.mark.django_db


def test_the_current_version_with_its_materials_and_commitments():
    version = make_matter("WS-001")
    matter_version_revise(version_id=version.pk)  # unpublished: not what applicants apply under
    MatterFactory(code="DRAFT-1")  # no version at all: not open for applications
    public = APIClient()

    listing = public.get("/api/matters/").json()
    assert listing["count"] == 1 and listing["results"][0]["code"] == "WS-001"
    matter = public.get("/api/matters/WS-001/").json()
    current = matter["current_version"]
    assert current["number"] == 1 and current["modes"] == ["standard", "commitment", "lenient"]
    assert current["commitment_grades"] == ["A", "B"]
    assert {m["kind"] for m in current["materials"]} == {"required", "deferrable", "replaceable"}
    assert current["commitment_items"][0]["text"] == "经营场所面积、布局与申报一致"
    assert public.get("/api/matters/DRAFT-1/").status_code == 404
    assert public.get("/api/matters/NOPE/").status_code == 404
