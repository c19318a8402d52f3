"""Shared by the sanctions views: who may see the supervisor's pages, and one way to call a service."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role
from approvals.services import CalendarNotCovered


def supervisor_required(view):
    """Supervisors and administrators; anyone else logged in gets 403, the anonymous the login page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, SUPERVISOR, ADMINISTRATOR):
            raise PermissionDenied(_("Only supervisors may do this."))
        return view(request, *args, **kwargs)

    return wrapped


def call_service(form, call: Callable) -> tuple[bool, object, int]:
    """Run the one service if the form is valid; a refusal goes onto the form. -> (done, result, status)."""
    if not form.is_valid():
        return False, None, 200
    try:
        return True, call(form.cleaned_data), 200
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You may not do this."))
        return False, None, 403
    except ValidationError as error:  # Refused: the message is already in the user's language
        form.add_refusal(error)
    except CalendarNotCovered as error:
        form.add_error(None, str(error))
    return False, None, 200


def page_params(request, *names) -> str:
    """The list's filters as a query string, for the pager links."""
    from urllib.parse import urlencode

    return urlencode({n: request.GET[n] for n in names if request.GET.get(n)})
