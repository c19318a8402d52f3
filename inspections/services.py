from datetime import timedelta

from approvals.models import Mode

from .models import Obligation


def obligation_create(*, licence) -> Obligation | None:
    """Each licence issued by notify-and-commit is due for verification within its matter's window
    (case 12 Delingha: on site within 3 months)."""
    application_matter = licence.application_matter
    if application_matter.mode != Mode.COMMITMENT:
        return None
    version = application_matter.matter_version
    obligation, _created = Obligation.objects.get_or_create(
        licence=licence,
        defaults={"method": version.verification_method, "scope": version.verification_scope,
                  "due_on": licence.valid_from + timedelta(days=version.verification_window_days)},
    )
    return obligation
