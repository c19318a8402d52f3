"""The flow's permissions reach the role groups through approvals' roles_sync (registered in
ports.role_permissions), and every later roles_sync (load_demo calls it) keeps them."""

import pytest
from django.contrib.auth.models import Group

from approvals.roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, roles_sync
from sanctions.models import Restriction  # noqa: F401  (its permissions must reach the groups on a fresh database)

pytestmark = pytest.mark.django_db


def flow_permissions(role):
    return set(Group.objects.get(name=role).permissions.filter(content_type__app_label="workflows")
               .values_list("codename", flat=True))


def test_after_migrate_the_roles_have_the_flow_permissions():
    assert flow_permissions(WINDOW_STAFF) == {"view_applicationprocess", "decide_application", "review_application"}
    assert flow_permissions(SUPERVISOR) == {"view_applicationprocess"}
    assert {"view_applicationprocess", "manage_applicationprocess", "decide_application",
            "sign_for_unlinked_applicant"} <= flow_permissions(ADMINISTRATOR)


def test_roles_sync_again_keeps_them_and_sanctions_permissions_arrive_on_a_fresh_database():
    roles_sync()
    roles_sync()
    assert flow_permissions(WINDOW_STAFF) == {"view_applicationprocess", "decide_application", "review_application"}
    staff = Group.objects.get(name=WINDOW_STAFF)
    assert staff.permissions.filter(content_type__app_label="sanctions", codename="view_restriction").exists()
