import logging

from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the user picked another language with the switcher (cookie).

    The browser's Accept-Language is ignored on purpose: a Chinese authority's pages are Chinese by
    default, whatever language the counter PC's browser happens to be set to."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection (server restarted, connection terminated, failover) mid-request: the
    transaction is rolled back by the server; the user gets a clear 503 in their language, not a server error
    page, and the broken connection is dropped so the next request opens a new one. Raised in a view it is
    caught here; raised in an inner middleware (the session or user lookup) Django has already turned it into a
    500, which got_request_exception lets us recognise and replace."""

    def __init__(self, get_response):
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_flag_database_error, dispatch_uid="approvals.database_unavailable")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_unavailable", False):
            return _database_unavailable(request)
        return response

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
            return _database_unavailable(request)
        return None


def _flag_database_error(sender, request=None, **kwargs):
    import sys

    from django.db import InterfaceError, OperationalError

    if request is not None and isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        request._database_unavailable = True


def _database_unavailable(request):
    from django.db import connections
    from django.http import HttpResponse, JsonResponse
    from django.utils.html import format_html

    from outbox.texts import DATABASE_UNAVAILABLE, SERVICE_UNAVAILABLE

    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()
    message = str(DATABASE_UNAVAILABLE)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": [message], "code": "database_unavailable"}, status=503)
    else:
        title = str(SERVICE_UNAVAILABLE)
        response = HttpResponse(format_html(
            '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
            "<body><h1>{}</h1><p>{}</p></body></html>",
            getattr(request, "LANGUAGE_CODE", "zh-hans"), title, title, message), status=503)
    response["Retry-After"] = "5"
    return response
