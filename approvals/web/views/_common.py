"""Shared by the process views: object-level access, and one way to call a service from a form."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ... import selectors
from ...models import Application
from ...services import CalendarNotCovered
from ..page import application_page


def visible_application(request, pk: int) -> Application:
    """The application, if the user may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(selectors.applications_visible_to(request.user).select_related("subject"), pk=pk)


def application_url(application: Application, anchor: str = "") -> str:
    return reverse("application_detail", args=[application.pk]) + (f"#{anchor}" if anchor else "")


def render_application(request, application: Application, bound: dict | None = None, status: int = 200):
    return render(request, "approvals/process/application.html",
                  application_page(request, application, bound), status=status)


def call_service(form, call: Callable) -> tuple[bool, object, int]:
    """Run the one service if the form is valid; a refusal goes onto the form. -> (done, result, status)."""
    if not form.is_valid():
        return False, None, 200
    try:
        return True, call(form.cleaned_data), 200
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You may not do this."))
        return False, None, 403
    except ValidationError as error:  # Refused and its subclasses: the message is already translated
        form.add_refusal(error)
    except CalendarNotCovered as error:
        form.add_error(None, str(error))
    return False, None, 200


def act(request, application: Application, *, key: str, form, call: Callable, success, anchor: str,
        nest: int | None = None):
    """POST handler of one action on the application page: call the service, then either redirect back
    with a success message, or show the page again with the refusal in place and what was typed kept."""
    done, result, status = call_service(form, call)
    if done:
        messages.success(request, success(result) if callable(success) else success)
        return redirect(application_url(application, anchor))
    bound = {key: {nest: form}} if nest is not None else {key: form}
    return render_application(request, application, bound, status=status)
