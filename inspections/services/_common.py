from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from approvals.roles import ADMINISTRATOR, INSPECTOR, SUPERVISOR, has_role
from approvals.services._common import Refused

__all__ = ["Refused", "require_supervisor", "require_inspector"]


def require_supervisor(user) -> None:
    if not has_role(user, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only supervisors may do this."))


def require_inspector(user) -> None:
    if not has_role(user, INSPECTOR):
        raise PermissionDenied(_("Only inspectors may record checks."))
