"""我的信用 (the subject's phone page) and the staff view of a subject's score, with its entries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import Subject
from approvals.roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role
from approvals.services._common import person_of

from ..models import CheckScore, Entry
from ..services import active_version, can_record, entry_record, explain_subject
from ..services.scoring import imported_grade
from .forms import RecordForm, SearchForm


def _card(subject: Subject, day):
    """What one subject's page shows: the computed score with its lines, or the imported grade."""
    version = active_version()
    result = explain_subject(subject, day, version) if version else None
    # what counts first, newest first; then what no longer (or not yet) counts
    lines = sorted(result.lines if result else [], key=lambda line: (
        not line.counts, -(line.occurred_on.toordinal() if line.occurred_on else 10**7)))
    return {"subject": subject, "result": result, "version": version, "lines": lines,
            "imported": imported_grade(subject, day)}


@login_required
def my_credit(request):
    person = person_of(request.user)
    if person is None:
        return render(request, "credit/my_credit.html", {"cards": []})
    day = timezone.localdate()
    cards = [_card(person, day)] + [_card(org, day) for org in person.represented_organisations.all()]
    return render(request, "credit/my_credit.html", {"cards": cards, "day": day})


def _require_staff(user) -> None:
    if not has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only staff may see another subject's credit."))


@login_required
def subject_search(request):
    _require_staff(request.user)
    form = SearchForm(request.GET or None)
    if form.is_valid():
        subject = Subject.objects.filter(number=form.cleaned_data["q"].strip().upper()).first()
        if subject:
            return redirect("credit:subject", pk=subject.pk)
        form.add_error("q", _("No subject with this number is registered."))
    return render(request, "credit/search.html", {"form": form})


def _subject_page(request, subject, form=None, status=200):
    day = timezone.localdate()
    card = _card(subject, day)
    context = {**card, "view_card": card}
    context.update({
        "form": form or (RecordForm(initial={"occurred_on": day}) if can_record(request.user) else None),
        "checks": CheckScore.objects.filter(subject=subject).select_related("credit_check__application", "version__model")
        .order_by("-credit_check__checked_at")[:10],
        "recorded": Entry.objects.filter(subject=subject, recorded_by__isnull=False).select_related("recorded_by")[:20],
        "day": day,
    })
    return render(request, "credit/subject.html", context, status=status)


@login_required
def subject_credit(request, pk):
    _require_staff(request.user)
    return _subject_page(request, get_object_or_404(Subject, pk=pk))


@login_required
@require_POST
def subject_record(request, pk):
    _require_staff(request.user)
    subject = get_object_or_404(Subject, pk=pk)
    if not can_record(request.user):
        raise PermissionDenied(_("Only an authorised officer may record commendations and credit repair."))
    form = RecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry_record(subject_id=subject.pk, source=data["source"], quantity=data["quantity"],
                         occurred_on=data["occurred_on"], evidence=data["evidence"], by=request.user,
                         description=data["description"])
        except ValidationError as refusal:
            if hasattr(refusal, "error_dict"):
                for field, errors in refusal.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("Recorded; the score has been recalculated."))
            return redirect("credit:subject", pk=subject.pk)
    return _subject_page(request, subject, form=form, status=400)


def not_found(request):
    raise Http404
