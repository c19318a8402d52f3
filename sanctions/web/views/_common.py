"""Shared by the sanctions views: who may see the supervisor's pages, and one way to call a service."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from approvals.web.views._common import call_service  # noqa: F401 - one way to run a service from a form
from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role


def supervisor_required(view):
    """Supervisors and administrators; anyone else logged in gets 403, the anonymous the login page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, SUPERVISOR, ADMINISTRATOR):
            raise PermissionDenied(_("Only supervisors may do this."))
        return view(request, *args, **kwargs)

    return wrapped




def page_params(request, *names) -> str:
    """The list's filters as a query string, for the pager links."""
    from urllib.parse import urlencode

    return urlencode({n: request.GET[n] for n in names if request.GET.get(n)})
