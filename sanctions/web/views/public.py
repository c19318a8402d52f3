"""Public pages, no login (信用公示): restrictions in force and concluded cases, names and numbers masked.
A case with an open objection or withdrawn is never here (the selectors leave it out)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from approvals.masking import mask_name, mask_number
from approvals.models import SubjectKind

from ...selectors import published_restrictions, published_violations
from ..page import level_short
from ._common import page_params


def public_name(subject) -> str:
    """A person's name masked (张*明); an organisation's name is public (it is on its licence)."""
    return mask_name(subject.name) if subject.kind == SubjectKind.PERSON else subject.name


def _rows(request, queryset, make):
    q = request.GET.get("q", "").strip()
    if q:  # matches the full name; the page shows only the masked one
        queryset = queryset.filter(subject__name__icontains=q)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return q, page, [make(obj) for obj in page]


def public_restrictions(request):
    now = timezone.now()
    q, page, rows = _rows(request, published_restrictions(now).select_related("violation__kind"), lambda r: {
        "name": public_name(r.subject), "number": mask_number(r.subject.number), "kind": r.subject.get_kind_display(),
        "scope": r.get_scope_display(), "matter": r.matter.name if r.matter_id else "",
        "starts_at": r.starts_at, "ends_at": r.ends_at, "case": r.violation.number if r.violation_id else "",
        "legal_act": r.legal_act, "kind_of_violation": r.violation.kind.label if r.violation_id else "",
    })
    return render(request, "sanctions/public/restrictions.html", {
        "q": q, "page": page, "rows": rows, "tab": "restrictions", "params": page_params(request, "q")})


def public_violations(request):
    now = timezone.now()
    q, page, rows = _rows(request, published_violations(now), lambda v: {
        "name": public_name(v.subject), "number": mask_number(v.subject.number), "case": v.number,
        "kind": v.kind.label, "level": level_short(v.level), "closed_at": v.closed_at,
        "publish_until": v.publish_until,
    })
    return render(request, "sanctions/public/violations.html", {
        "q": q, "page": page, "rows": rows, "tab": "violations", "params": page_params(request, "q")})
