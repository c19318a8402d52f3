"""The restriction list (违诺制约名单) for supervisors: search, impose by hand, lift early; key supervision
targets (重点监管对象)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import selectors, services
from ...models import Restriction, RestrictionState
from ...ports import documents_for
from .. import forms
from ..page import restriction_status, timeline
from ._common import call_service, page_params, supervisor_required


def _by_state(restrictions, state: str, now):
    """By the state the credit check sees: an active one past its end counts as expired already."""
    ended = Q(state=RestrictionState.ACTIVE, ends_at__lte=now)
    if state == RestrictionState.ACTIVE:
        return restrictions.filter(state=RestrictionState.ACTIVE, ends_at__gt=now)
    if state == RestrictionState.EXPIRED:
        return restrictions.filter(Q(state=RestrictionState.EXPIRED) | ended)
    if state in RestrictionState.values:
        return restrictions.filter(state=state)
    return restrictions


@supervisor_required
def restriction_list(request):
    now = timezone.now()
    state, key, q = request.GET.get("state", "active"), request.GET.get("key", ""), request.GET.get("q", "").strip()
    restrictions = Restriction.objects.select_related("subject", "matter", "violation")
    restrictions = _by_state(restrictions, state, now)
    if key == "yes":
        restrictions = restrictions.filter(key_supervision=True)
    elif key == "no":
        restrictions = restrictions.filter(key_supervision=False)
    if q:
        restrictions = restrictions.filter(Q(subject__name__icontains=q)
                                           | Q(subject__number__iexact=forms.normalise_number(q)))
    page = Paginator(restrictions.order_by("ends_at", "pk") if state == RestrictionState.ACTIVE
                     else restrictions.order_by("-starts_at", "-pk"), 30).get_page(request.GET.get("page"))
    for r in page:
        r.status = restriction_status(r, now)
    counts = [(s.value, s.label, _by_state(Restriction.objects.all(), s.value, now).count())
              for s in RestrictionState]
    return render(request, "sanctions/restriction_list.html", {
        "page": page, "state": state if state in RestrictionState.values else "all", "key": key, "q": q,
        "counts": counts, "all_count": Restriction.objects.count(),
        "params": page_params(request, "state", "key", "q"),
    })


@supervisor_required
def restriction_new(request):
    """A supervisor's own act: the subject by number, scope, reason, legal basis, start and end."""
    if request.method == "POST":
        form = forms.RestrictionForm(request.POST)
        done, restriction, status = call_service(form, lambda d: services.restriction_impose_manual(
            subject=form.subject, reason=d["reason"], legal_basis=d["legal_basis"], starts_at=d["starts_at"],
            ends_at=d["ends_at"], by=request.user, scope=d["scope"], matter=d["matter"],
            key_supervision=d["key_supervision"]))
        if done:
            messages.success(request, _("%(name)s is on the restriction list until %(end)s; the notice is issued.")
                             % {"name": restriction.subject.name,
                                "end": timezone.localtime(restriction.ends_at).strftime("%Y-%m-%d %H:%M")})
            return redirect("sanctions:restriction", restriction.pk)
    else:
        status = 200
        initial = forms.restriction_initial(settings.SANCTIONS_RESTRICTION_MONTHS)
        initial["subject_number"] = forms.normalise_number(request.GET.get("subject_number", ""))
        form = forms.RestrictionForm(initial=initial)
    return render(request, "sanctions/restriction_new.html", {"form": form}, status=status)


def _restriction_page(request, restriction, lift_form=None, status=200):
    restriction.status = restriction_status(restriction)
    return render(request, "sanctions/restriction_detail.html", {
        "restriction": restriction,
        "timeline": timeline([restriction]),
        "documents": documents_for([restriction]),
        "can_lift": restriction.status["value"] == RestrictionState.ACTIVE,
        "lift_form": lift_form or forms.ReasonForm(prefix="lift"),
    }, status=status)


def _restriction(pk):
    return get_object_or_404(Restriction.objects.select_related("subject", "matter", "violation", "created_by",
                                                                "lifted_by"), pk=pk)


@supervisor_required
def restriction_detail(request, pk):
    return _restriction_page(request, _restriction(pk))


@supervisor_required
def restriction_lift(request, pk):
    if request.method != "POST":
        return redirect("sanctions:restriction", pk)
    form = forms.ReasonForm(request.POST, prefix="lift")
    done, _result, status = call_service(form, lambda d: services.restriction_lift_by_supervisor(
        restriction_id=pk, by=request.user, reason=d["reason"]))
    if done:
        messages.success(request, _("The restriction is lifted early; the reason is recorded."))
        return redirect("sanctions:restriction", pk)
    return _restriction_page(request, _restriction(pk), form, status)


@supervisor_required
def key_targets(request):
    now = timezone.now()
    targets = list(selectors.key_supervision_targets(now))
    for r in targets:
        r.status = restriction_status(r, now)
    return render(request, "sanctions/key_targets.html", {"targets": targets})
