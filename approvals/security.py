"""Request-level protections (issue 9): rate limits on signing, one-time codes and the public verify page,
and a short idle timeout for staff sessions.

Rate limits are named by URL in settings.SECURITY_RATE_LIMITS ({url name: (group, "count/period")}) and counted
by django-ratelimit in the default cache, per user (per address for anonymous visitors), unsafe and safe methods
alike for the public verify page, POST only for the rest: pages by SecurityMiddleware, the API's URLs by the DRF
throttle ApiRateLimit once the client is authenticated. A refusal is a 429: JSON under /api/, a page otherwise,
both in the user's language and saying when to try again."""

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

from .roles import APPLICANT, user_roles


def too_many_requests_message(wait_seconds: int) -> tuple[str, int]:
    minutes = max(1, -(-wait_seconds // 60))
    return _("Too many requests in a short time. Please wait %(minutes)d minute(s) and try again.") % {
        "minutes": minutes}, minutes


def too_many_requests(request, *, wait_seconds: int):
    """The page's 429 (the API's is rendered by api.errors from ApiRateLimit's refusal)."""
    message, minutes = too_many_requests_message(wait_seconds)
    response = render(request, "too_many_requests.html", {"message": message, "minutes": minutes}, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response


def _who(group, request) -> str:
    """The signed-in user, else the client address as the server saw it (REMOTE_ADDR: behind a proxy, the
    proxy must set it, e.g. gunicorn --forwarded-allow-ips; a client-sent header is never trusted here)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR') or 'unknown'}"


def _count(request, group: str, rate: str) -> int | None:
    """Count the request against its limit: the seconds to wait when it is over, else None."""
    method = ["GET", "POST", "HEAD"] if group == "verify" else ["POST"]
    usage = get_usage(request, group=f"security.{group}", key=_who, rate=rate, method=method, increment=True)
    if usage is not None and usage["should_limit"]:
        return max(1, usage["time_left"])
    return None


class ApiRateLimit(BaseThrottle):
    """DRF throttle (REST_FRAMEWORK's default): the limits of SECURITY_RATE_LIMITS for the API's URLs, counted per
    user once DRF has authenticated the client (in the middleware a Basic-auth client was still anonymous and
    was counted by address, so users behind one address, a carrier's NAT or a gateway, shared a limit; and a
    wrong password is refused before it counts against anyone). A refusal is the same 429 as the middleware's
    (api.errors); the page and the API of one group share a counter."""

    def allow_request(self, request, view):
        self.wait_seconds = None
        limit = settings.SECURITY_RATE_LIMITS.get(request.resolver_match.view_name)
        if limit is None or not getattr(settings, "RATELIMIT_ENABLE", True):
            return True
        self.wait_seconds = _count(request, *limit)
        return self.wait_seconds is None

    def wait(self):
        return self.wait_seconds


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        self._staff_idle_timeout(request)
        match = request.resolver_match
        if match is None or not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        limit = settings.SECURITY_RATE_LIMITS.get(match.view_name)
        if limit is None:
            return None
        if match.view_name.startswith("api:"):
            return None  # counted by ApiRateLimit, once DRF has authenticated the client
        wait = _count(request, *limit)
        return None if wait is None else too_many_requests(request, wait_seconds=wait)

    @staticmethod
    def _staff_idle_timeout(request):
        """Staff sessions end after SECURITY_STAFF_SESSION_IDLE seconds without a request (refreshed at most
        once a minute, so a busy counter PC does not write its session on every click)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return
        roles = user_roles(user)
        if not (user.is_staff or roles - {APPLICANT}):
            return
        now = int(time.time())
        if now - request.session.get("_security_idle_at", 0) >= 60:
            request.session.set_expiry(settings.SECURITY_STAFF_SESSION_IDLE)
            request.session["_security_idle_at"] = now


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout (settings.AXES_LOCKOUT_CALLABLE): a 429 page in the user's language, JSON for the API."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0
    limit = get_failure_limit(request, credentials)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [_("Too many failed logins; this account is locked for %(minutes)d minute(s).")
                                        % {"minutes": minutes}], "code": "locked_out"}, status=429)
    response = render(request, "registration/locked_out.html",
                      {"failure_limit": limit, "cooloff_minutes": minutes}, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def not_found(request, exception=None):
    """handler404: under /api/ a path that matches no route answers in the API's error shape, not an HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [_("Not found.")], "code": "not_found"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400 (e.g. a form with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS): JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [_("The request could not be read.")], "code": "bad_request"}, status=400)
    from django.views.defaults import bad_request as default

    return default(request, exception)
