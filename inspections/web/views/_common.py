"""Shared by the inspection views: who may open which page, and one way to call a service from a form."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from approvals.web.views._common import call_service  # noqa: F401 - one way to run a service from a form
from approvals.roles import ADMINISTRATOR, INSPECTOR, SUPERVISOR, has_role


def _role_required(*roles: str, message: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def supervisor_required(view):
    """Supervisors and administrators; anyone else logged in gets 403, the anonymous the login page."""
    return _role_required(SUPERVISOR, ADMINISTRATOR, message=gettext_lazy("Only supervisors may do this."))(view)


def inspector_required(view):
    return _role_required(INSPECTOR, message=gettext_lazy("Only inspectors have checks to record."))(view)


def check_reader_required(view):
    """The check page: the assigned inspectors (the selector narrows it) and supervisors."""
    return _role_required(INSPECTOR, SUPERVISOR, ADMINISTRATOR, message=gettext_lazy("You may not see this check."))(view)


