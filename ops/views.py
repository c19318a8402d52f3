"""Probes and metrics for machines (load balancer, Prometheus): no login, no session, no CSRF."""

import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from . import checks, metrics


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answers (touches nothing else): restart it when this fails."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: 200 when every readiness check passes, 503 otherwise (take the node out of rotation)."""
    found = checks.readiness()
    ready = all(check.ok for check in found)
    return JsonResponse({"status": "ready" if ready else "not ready",
                         "checks": {check.name: {"ok": check.ok, "detail": check.detail,
                                                 **({"advice": check.advice} if not check.ok else {})}
                                    for check in found}},
                        status=200 if ready else 503, json_dumps_params={"ensure_ascii": False})


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
            return True
    return request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus exposition; only for METRICS_ALLOWED_IPS or a Bearer METRICS_TOKEN."""
    if not metrics_allowed(request):
        return HttpResponseForbidden("forbidden\n", content_type="text/plain")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
