"""One body for every API error: {"detail": [messages], "code": "...", "fields": {field: [messages]}}.

A service refusal (Refused) is 409 when it conflicts with the application's state and 400 otherwise;
its messages come translated from the service. PermissionDenied is 403 with its message; anything not
found, or not visible to the user, is 404."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..security import too_many_requests_message
from ..services import Refused

# the request was fine but the application (or its applicant's credit) is no longer where it must be
CONFLICT_CODES = frozenset({"state", "decided", "entitlement"})


def error_body(messages: list, code: str, fields: dict | None = None) -> dict:
    body = {"detail": [str(m) for m in messages], "code": code}
    if fields:
        body["fields"] = {name: [str(m) for m in errors] for name, errors in fields.items()}
    return body


def _flatten(detail) -> list:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [detail]


def _django_validation_body(error: ValidationError, default_code: str, view=None) -> dict:
    fields = None
    if hasattr(error, "error_dict"):
        # a service names its own parameter (e.g. "password"); the client wants the request field ("secret")
        rename = getattr(view, "refusal_fields", {})
        fields = {}
        for name, messages in error.message_dict.items():
            fields.setdefault(rename.get(name, name), []).extend(messages)
    return error_body(error.messages, getattr(error, "code", None) or default_code, fields)


def api_exception_handler(exc, context):
    if isinstance(exc, Refused):
        code = exc.code or "refused"
        status_code = status.HTTP_409_CONFLICT if code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
        return Response(_django_validation_body(exc, "refused", context.get("view")), status=status_code)
    if isinstance(exc, ValidationError):  # a model's full_clean() inside a service
        return Response(_django_validation_body(exc, "invalid", context.get("view")),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        message = str(exc) or _("You do not have permission to do this.")
        return Response(error_body([message], "permission_denied"), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, exceptions.Throttled):  # ApiRateLimit: the body and words of the middleware's 429
        wait = max(1, int(exc.wait or 1))
        response = Response(error_body([too_many_requests_message(wait)[0]], "rate_limited"),
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(wait)
        return response
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug, not bad input: DRF re-raises it as a 500
    detail = getattr(exc, "detail", None) or _("Not found.")
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else None
        response.data = error_body(_flatten(detail), "invalid", fields and {k: _flatten(v) for k, v in fields.items()})
    else:
        code = exc.default_code if isinstance(exc, exceptions.APIException) else "not_found"
        response.data = error_body(_flatten(detail), code)
    return response
