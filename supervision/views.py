"""The supervisor's dashboard, its drill-downs and exports (supervisors and administrators only)."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role

from . import pages, selectors, services
from .forms import PRESETS, FilterForm, preset_period

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def supervisor_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, SUPERVISOR, ADMINISTRATOR):
            raise PermissionDenied(_("Only supervisors and administrators may see the supervision figures."))
        return view(request, *args, **kwargs)

    return wrapped


def _filters(request):
    form = FilterForm(request.GET or None)
    f = form.filters()
    if request.GET and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return form, f


def _file(data, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    body = data.export(fmt)
    if fmt == "csv":
        body = "\ufeff" + body  # Excel opens UTF-8 Chinese correctly only with the BOM
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.{fmt}"'
    return response


@supervisor_required
def dashboard(request):
    form, f = _filters(request)
    data = pages.build(f)
    presets = []
    for value, label in PRESETS:
        start, end = preset_period(value)
        query = {**f.as_query(), "start": start.isoformat(), "end": end.isoformat()}
        presets.append({"label": label, "url": f"?{urlencode(query)}", "current": (start, end) == (f.start, f.end)})
    return render(request, "supervision/dashboard.html", {
        **data, "form": form, "presets": presets, "query": urlencode(f.as_query()),
        "stale_after": settings.SUPERVISION_REFRESH_SECONDS,
    })


@supervisor_required
def export(request, table: str, fmt: str):
    if table not in pages.TABLES:
        raise Http404
    _form, f = _filters(request)
    return _file(pages.dataset(pages.build(f), table), fmt, f"supervision-{table}")


def _drill(request, name):
    _form, f = _filters(request)
    try:
        return f, selectors.records(name, f, request.GET.get("key", ""))
    except KeyError:
        raise Http404 from None


@supervisor_required
def records(request, name: str):
    f, drill = _drill(request, name)
    page = Paginator(pages.drill_queryset(drill), 50).get_page(request.GET.get("page"))
    headers, rows = pages.drill_rows(drill, page)
    query = {**f.as_query(), **({"key": request.GET["key"]} if request.GET.get("key") else {})}
    return render(request, "supervision/records.html", {
        "drill": drill, "page": page, "headers": headers, "rows": [list(zip(headers, row)) for row in rows],
        "filters": f,
        "query": urlencode(query), "back": f"?{urlencode(f.as_query())}", "name": name,
    })


@supervisor_required
def records_export(request, name: str, fmt: str):
    f, drill = _drill(request, name)
    if drill.rows.count() > settings.SUPERVISION_EXPORT_MAX_ROWS:
        messages.error(request, _("This list has more than %(n)s records; narrow the filters to export it.")
                       % {"n": f"{settings.SUPERVISION_EXPORT_MAX_ROWS:,}"})
        return redirect(f"{request.path.rsplit('/', 1)[0]}/?{urlencode(request.GET)}")
    return _file(pages.drill_dataset(drill), fmt, f"supervision-{name}")


@require_POST
@supervisor_required
def refresh(request):
    """Bring the figures up to date now, instead of waiting for the next scheduled refresh."""
    counts = services.summaries_refresh()
    messages.success(request, _("Figures brought up to date (%(n)s applications recomputed).")
                     % {"n": f"{counts['applications']:,}"})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "supervision:dashboard"
    return redirect(target)
