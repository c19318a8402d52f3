from django.core.signals import request_finished

from .logs import accepted_or_new, request_id_var


class RequestIdMiddleware:
    """Early in MIDDLEWARE: every log line of the request carries its id (also Django's own "Not Found" and
    "Service Unavailable" lines, written after the middleware returns); the response returns it. Cleared when
    the response is finished."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_or_new(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _clear(**_kwargs):
    request_id_var.set("-")


request_finished.connect(_clear, dispatch_uid="ops.request_id.clear")
