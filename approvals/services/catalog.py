"""Matter catalog services: a version used by an application never changes; editing it makes a new one."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..models import CommitmentItem, Material, MatterVersion

VERSION_FIELDS = [
    "legal_basis", "conditions", "allows_commitment", "allows_lenient", "allows_green_channel",
    "commitment_grades", "green_channel_grades", "statutory_limit_days", "verification_scope",
    "verification_method", "verification_window_days", "verification_shares", "certificate_name",
    "validity_months",
]


@transaction.atomic
def matter_version_revise(*, version_id: int, by=None) -> MatterVersion:
    """Copy a version, its materials and commitment items into a new unpublished version."""
    source = MatterVersion.objects.select_for_update().get(pk=version_id)
    # the matter row serialises version numbering
    matter = type(source.matter).objects.select_for_update().get(pk=source.matter_id)
    number = (matter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = MatterVersion(matter=matter, number=number, created_by=by,
                            **{f: getattr(source, f) for f in VERSION_FIELDS})
    version.full_clean()
    version.save()
    Material.objects.bulk_create(
        Material(version=version, position=m.position, name=m.name, description=m.description, kind=m.kind,
                 replaces_proof=m.replaces_proof, issuing_office=m.issuing_office, supplement_days=m.supplement_days)
        for m in source.materials.all()
    )
    CommitmentItem.objects.bulk_create(
        CommitmentItem(version=version, position=i.position, text=i.text) for i in source.commitment_items.all()
    )
    return version


@transaction.atomic
def matter_version_publish(*, version_id: int) -> MatterVersion:
    """Make a version the one new applications are made under."""
    version = MatterVersion.objects.select_for_update().get(pk=version_id)
    version.full_clean()
    for part in [*version.materials.all(), *version.commitment_items.all()]:
        part.full_clean()
    if version.published_at is None:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    return version


@transaction.atomic
def matter_version_edit(*, version_id: int, changes: dict, by=None) -> MatterVersion:
    """Apply changes to a version. If applications already use it, the changes go into a new version
    (published if the old one was), and the old one stays exactly as the applications saw it."""
    version = MatterVersion.objects.select_for_update().get(pk=version_id)
    unknown = set(changes) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if version.is_frozen:
        was_published = version.published_at is not None
        version = matter_version_revise(version_id=version.pk, by=by)
        if was_published:
            version.published_at = timezone.now()
    for field, value in changes.items():
        setattr(version, field, value)
    version.full_clean()
    version.save()
    return version
