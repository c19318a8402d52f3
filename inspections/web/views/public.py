"""双随机、一公开: the run draws, their drawn licences and inspectors, and the results; no login, names masked."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from ... import selectors
from ...models import ObligationState
from ..page import draw_targets

CONCLUDED = (ObligationState.COMPLIANT, ObligationState.NON_COMPLIANT)


def public_draws(request):
    draws = selectors.published_draws().defer("population", "result", "exclusions", "pool").prefetch_related(
        "matters").annotate(
        drawn=Count("obligations", filter=Q(obligations__state__in=[ObligationState.ASSIGNED, *CONCLUDED])),
        concluded=Count("obligations", filter=Q(obligations__state__in=CONCLUDED)))
    page = Paginator(draws, 30).get_page(request.GET.get("page"))
    return render(request, "inspections/public/draw_list.html", {"page": page})


def public_draw(request, number):
    draw = get_object_or_404(selectors.published_draws().defer("population").prefetch_related("matters"),
                             number=number)
    page, targets = draw_targets(draw, public=True, page_number=request.GET.get("page"))
    return render(request, "inspections/public/draw_detail.html", {"draw": draw, "page": page, "targets": targets})
