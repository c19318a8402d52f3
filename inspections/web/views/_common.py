"""Shared by the inspection views: who may open which page, and one way to call a service from a form."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    return False, None, 200
