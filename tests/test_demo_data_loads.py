"""`make run` loads the demo: every demo matter validates, a login per role, and it can run twice."""

import pytest
from django.contrib.auth import get_user
from django.core.management import call_command
from django.urls import reverse

from approvals.demo.matters import MATTERS
from approvals.models import Matter, Subject
from approvals.roles import ROLE_LABELS, user_roles
from approvals.selectors import credit_facts
from demo.management.commands.load_demo import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates():
    call_command("load_demo")
    counts = (Matter.objects.count(), Subject.objects.count())
    call_command("load_demo")
    assert (Matter.objects.count(), Subject.objects.count()) == counts
    assert counts[0] == len(MATTERS) >= 8


def test_every_demo_matter_is_published_with_its_materials_and_commitments():
    call_command("load_demo")
    for spec in MATTERS:
        version = Matter.objects.get(code=spec["code"]).current_version()
        assert version is not None and version.published_at
        assert version.materials.count() == len(spec["materials"])
        assert version.commitment_items.count() == len(spec["commitment_items"])
        if version.allows_commitment:
            assert version.commitment_items.exists()


def test_each_role_can_log_in(client):
    """Through the login page, as a person would (the lockout backend needs the request)."""
    call_command("load_demo")
    for username, _name, role, _staff in LOGINS:
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        user = get_user(client)
        assert user.is_authenticated and user.username == username
        assert role in user_roles(user)
    assert {role for _u, _n, role, _s in LOGINS} == set(ROLE_LABELS)


def test_the_demo_has_a_restricted_legal_representative_and_a_dishonest_person():
    call_command("load_demo")
    builder = Subject.objects.get(name="德州示范建设工程有限公司")
    facts = credit_facts(builder)
    assert [f.role for f in facts] == ["subject", "legal_representative"]
    assert facts[1].restrictions and not facts[0].restrictions
    assert credit_facts(Subject.objects.get(name="赵敏"))[0].dishonest


def test_the_demo_has_a_case_in_each_sanctions_list():
    from django.utils import timezone

    from sanctions.models import Objection, Repair, Violation
    from sanctions.selectors import key_supervision_targets, published_restrictions, published_violations

    call_command("load_demo")
    counts = Violation.objects.count()
    call_command("load_demo")
    assert Violation.objects.count() == counts == 4
    now = timezone.now()
    assert set(Violation.objects.values_list("state", flat=True)) >= {"rectification_ordered", "closed", "graded"}
    assert Objection.objects.filter(state="open").exists() and Repair.objects.filter(state="submitted").exists()
    assert published_violations(now).count() == 2 and published_restrictions(now).filter(violation__isnull=False)
    assert key_supervision_targets(now).count() == 2
    builder = Subject.objects.get(name="德州示范建设工程有限公司")
    assert not credit_facts(builder)[0].restrictions  # the demo's other paths are unchanged
