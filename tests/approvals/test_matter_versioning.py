"""A version used by an application never changes: editing it makes a new version."""

import pytest
from django.core.exceptions import ValidationError

from approvals.services import matter_version_edit, matter_version_publish, matter_version_revise
from tests.approvals.factories import (
    ApplicationMatterFactory, CommitmentItemFactory, MaterialFactory, MatterVersionFactory,
)

pytestmark = pytest.mark.django_db


def test_editing_an_unused_version_changes_it_in_place():
    version = MatterVersionFactory()
    edited = matter_version_edit(version_id=version.pk, changes={"statutory_limit_days": 15})
    assert edited.pk == version.pk
    assert edited.statutory_limit_days == 15
    assert version.matter.versions.count() == 1


def test_editing_a_used_version_creates_a_new_version_and_the_application_keeps_the_old():
    version = MatterVersionFactory(statutory_limit_days=20)
    MaterialFactory(version=version, name="营业执照")
    MaterialFactory(version=version, name="平面图", deferrable=True)
    CommitmentItemFactory(version=version, text="场所面积与申报一致")
    used = ApplicationMatterFactory(matter_version=version)

    edited = matter_version_edit(version_id=version.pk, changes={"statutory_limit_days": 10})

    assert edited.pk != version.pk
    assert edited.number == 2
    assert edited.published_at is not None
    assert version.matter.current_version() == edited
    assert [m.name for m in edited.materials.all()] == ["营业执照", "平面图"]
    assert [i.text for i in edited.commitment_items.all()] == ["场所面积与申报一致"]
    version.refresh_from_db()
    used.refresh_from_db()
    assert version.statutory_limit_days == 20
    assert used.matter_version_id == version.pk


def test_materials_of_a_used_version_cannot_change():
    version = MatterVersionFactory()
    material = MaterialFactory(version=version)
    ApplicationMatterFactory(matter_version=version)
    material.name = "改过的名称"
    with pytest.raises(ValidationError) as raised:
        material.full_clean()
    assert "frozen" in [e.code for e in raised.value.error_dict["__all__"]]


def test_a_revision_is_a_draft_until_published():
    version = MatterVersionFactory()
    draft = matter_version_revise(version_id=version.pk)
    assert draft.published_at is None
    assert version.matter.current_version() == version
    matter_version_publish(version_id=draft.pk)
    assert version.matter.current_version() == draft


def test_deferrable_deadline_cannot_exceed_the_statutory_limit():
    version = MatterVersionFactory(statutory_limit_days=5)
    material = MaterialFactory.build(version=version, kind="deferrable", supplement_days=8)
    with pytest.raises(ValidationError) as raised:
        material.full_clean()
    assert "supplement_days" in raised.value.error_dict


def test_shortening_the_limit_below_a_deferrable_deadline_is_refused():
    version = MatterVersionFactory(statutory_limit_days=20)
    MaterialFactory(version=version, kind="deferrable", supplement_days=10)
    with pytest.raises(ValidationError) as raised:
        matter_version_edit(version_id=version.pk, changes={"statutory_limit_days": 5})
    assert "statutory_limit_days" in raised.value.error_dict


def test_replaceable_material_names_the_proof_and_the_office():
    material = MaterialFactory.build(version=MatterVersionFactory(), kind="replaceable")
    with pytest.raises(ValidationError) as raised:
        material.full_clean()
    assert set(raised.value.error_dict) == {"replaces_proof", "issuing_office"}


def test_commitment_needs_eligible_grades():
    version = MatterVersionFactory.build(matter=MatterVersionFactory().matter, number=9, commitment_grades=[])
    with pytest.raises(ValidationError) as raised:
        version.full_clean()
    assert "commitment_grades" in raised.value.error_dict
