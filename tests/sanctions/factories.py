from datetime import timedelta

import factory
from django.utils import timezone

from sanctions.models import Restriction
from tests.approvals.factories import PersonFactory


class RestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restriction

    subject = factory.SubFactory(PersonFactory)
    reason = "提供虚假材料（三级违诺）"
    legal_act = "示审违诺〔2026〕1号"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=182))

    class Params:
        ended = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=200)),
        )
