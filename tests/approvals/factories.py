import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.cn import ric, uscc

from approvals.models import (
    Application, ApplicationMatter, Channel, CommitmentItem, CreditGrade, Material, MaterialKind, Matter,
    MatterVersion, Subject, SubjectKind,
)


def person_number(n: int) -> str:
    body = f"110105{19900101 + (n % 28)}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def org_number(n: int) -> str:
    body = f"91370102MA{n % 10**7:07d}"
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-12345678")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    kind = SubjectKind.PERSON
    name = factory.Sequence(lambda n: f"张{n}")
    number = factory.Sequence(person_number)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    kind = SubjectKind.ORGANISATION
    name = factory.Sequence(lambda n: f"示范有限公司{n}")
    number = factory.Sequence(org_number)
    legal_representative = factory.SubFactory(PersonFactory)


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matter

    code = factory.Sequence(lambda n: f"M-{n:04d}")
    name = factory.Sequence(lambda n: f"示范事项{n}")
    department = "市市场监督管理局"


class MatterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatterVersion

    matter = factory.SubFactory(MatterFactory)
    number = 1
    published_at = factory.LazyFunction(timezone.now)
    legal_basis = "《中华人民共和国行政许可法》"
    conditions = "1. 有与经营规模相适应的场所。"
    allows_commitment = True
    allows_lenient = True
    commitment_grades = ["A", "B"]
    statutory_limit_days = 20
    certificate_name = "示范许可证"

    class Params:
        standard_only = factory.Trait(allows_commitment=False, allows_lenient=False, commitment_grades=[])


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    version = factory.SubFactory(MatterVersionFactory)
    name = factory.Sequence(lambda n: f"材料{n}")
    kind = MaterialKind.REQUIRED

    class Params:
        deferrable = factory.Trait(kind=MaterialKind.DEFERRABLE, supplement_days=5)
        replaceable = factory.Trait(kind=MaterialKind.REPLACEABLE, replaces_proof="亲属关系证明", issuing_office="公安派出所")


class CommitmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentItem

    version = factory.SubFactory(MatterVersionFactory)
    text = "经营场所与申报一致"


class CreditGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditGrade

    subject = factory.SubFactory(PersonFactory)
    grade = "A"
    source = "市公共信用信息平台"
    assessed_on = factory.LazyFunction(timezone.localdate)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    subject = factory.SubFactory(PersonFactory)
    channel = Channel.COUNTER
    created_by = factory.SubFactory(UserFactory)


class ApplicationMatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationMatter

    application = factory.SubFactory(ApplicationFactory)
    matter_version = factory.SubFactory(MatterVersionFactory)
