"""When the decision-time credit check no longer allows notify-and-commit, staff move the application to
standard review: the application and its process both take the standard branch; the letter stays on record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import ApplicationState, Mode, Signature
from approvals.services import (
    EntitlementChanged, Refused, application_choose_commitment, application_convert_to_standard,
    application_decide, application_start, signature_sign,
)
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory
from tests.workflows.helpers import open_nodes

pytestmark = pytest.mark.django_db(transaction=True)  # acts commit: the process follows after the commit


def test_restricted_at_decision_then_standard_review_and_approval(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    RestrictionFactory(subject=applicant, starts_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(EntitlementChanged):
        application_decide(application_id=application.pk, by=staff)
    assert "decide" in open_nodes(application)

    with pytest.raises(Refused):
        application_convert_to_standard(application_id=application.pk, by=staff, reason="")
    application = application_convert_to_standard(application_id=application.pk, by=staff,
                                                  reason="批中核查：申请人已被列入违诺制约名单")
    assert (application.state, application.mode) == (ApplicationState.UNDER_REVIEW, Mode.STANDARD)
    assert open_nodes(application) == ["review"]
    assert Signature.objects.filter(withdrawn_at__isnull=True).count() == 1  # the applicant's act stays on record

    (licence,) = application_decide(application_id=application.pk, by=staff)  # standard review decides
    assert not hasattr(licence, "obligation") or licence.obligation is None
    assert open_nodes(application) == []
