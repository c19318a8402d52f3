"""Roles are Django groups with model permissions; object-level rules are in selectors/visibility.py."""

from django.utils.translation import gettext_lazy as _

WINDOW_STAFF = "window_staff"
APPLICANT = "applicant"
INSPECTOR = "inspector"
SUPERVISOR = "supervisor"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    WINDOW_STAFF: _("Window staff"),
    APPLICANT: _("Applicant"),
    INSPECTOR: _("Inspector"),
    SUPERVISOR: _("Supervisor"),
    ADMINISTRATOR: _("Administrator"),
}

_VIEW_CATALOG = ["view_matter", "view_matterversion", "view_material", "view_commitmentitem"]
_CREDIT = ["view_creditgrade", "view_dishonestentry", "view_dishonestimport"]

# app_label.codename lists
ROLE_PERMISSIONS: dict[str, list[str]] = {
    WINDOW_STAFF: [f"approvals.{p}" for p in _VIEW_CATALOG + _CREDIT + [
        "view_subject", "add_subject", "change_subject", "view_application", "add_application",
        "change_application", "view_applicationmatter", "add_applicationmatter", "view_calendarday",
        "view_creditcheck",
    ]] + ["sanctions.view_restriction"],
    APPLICANT: [f"approvals.{p}" for p in _VIEW_CATALOG + ["add_application"]],
    INSPECTOR: [f"approvals.{p}" for p in _VIEW_CATALOG + ["view_subject"]],
    SUPERVISOR: [f"approvals.{p}" for p in _VIEW_CATALOG + _CREDIT + [
        "view_subject", "view_application", "view_applicationmatter", "add_creditgrade", "view_statechange",
        "view_creditcheck",
        "add_dishonestimport",
    ]] + ["sanctions.view_restriction", "sanctions.add_restriction", "sanctions.change_restriction"],
}


def roles_sync(**kwargs) -> None:
    """Create the role groups and give them exactly their permissions, with those other apps registered
    in ports.role_permissions (administrators get all)."""
    from django.contrib.auth.models import Group, Permission

    from .ports import role_permissions

    every = list(Permission.objects.select_related("content_type"))  # one read for all roles
    by_name: dict[str, list] = {}
    for permission in every:
        by_name.setdefault(f"{permission.content_type.app_label}.{permission.codename}", []).append(permission)
    for role, own in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([p for perm in own + role_permissions.get(role, []) for p in by_name.get(perm, [])])
    admin, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin.permissions.set(every)


def roles_sync_after_migrate(sender, **kwargs):
    """post_migrate is sent once per app: the roles are synced once, after the last app's, when every app's
    permissions exist (its permissions are created by a handler connected before this one)."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender is with_models[-1]:
        roles_sync()


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_cache"):
        roles = set(user.groups.values_list("name", flat=True)) & set(ROLE_LABELS)
        if user.is_superuser:
            roles.add(ADMINISTRATOR)
        user._role_cache = roles
    return user._role_cache


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
