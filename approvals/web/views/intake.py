"""Starting an application (at the counter or online) and the list of applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import selectors, services
from ...models import OPEN_STATES, ApplicationState, Channel, Matter, Subject
from ...roles import ADMINISTRATOR, WINDOW_STAFF, has_role
from .. import forms
from ..page import is_overdue
from ._common import application_url, call_service


def published_matters() -> list[tuple[Matter, object]]:
    """(matter, current version) for every matter open for applications."""
    pairs = [(m, m.current_version()) for m in Matter.objects.order_by("code")]
    return [(m, v) for m, v in pairs if v is not None]


def _started(request, application):
    messages.success(request, _("Application No. %(no)s submitted and credit-checked.") % {"no": application.pk})
    return redirect(application_url(application))


@login_required
def intake(request):
    """At the counter: find the subject by ID card number or credit code, tick the matters, submit."""
    if not has_role(request.user, WINDOW_STAFF, ADMINISTRATOR):
        raise PermissionDenied
    catalog = published_matters()
    codes = [m.code for m, _v in catalog]
    number = "".join(request.GET.get("number", "").split()).upper()
    subject = None
    if request.method == "POST":
        form = forms.IntakeForm(request.POST, matter_codes=codes)
        done, application, status = call_service(form, lambda data: services.application_start(
            subject_id=data["subject"].pk, matter_codes=data["matters"], channel=Channel.COUNTER, by=request.user))
        if done:
            return _started(request, application)
        chosen = str(form["subject"].value() or "")
        subject = Subject.objects.filter(pk=chosen).first() if chosen.isdigit() else None  # keep it on the page
        number = subject.number if subject else number
    else:
        status = 200
        if number:
            subject = Subject.objects.filter(number=number).select_related("legal_representative").first()
        form = forms.IntakeForm(matter_codes=codes, initial={"subject": subject.pk if subject else None})
    return render(request, "approvals/process/intake.html", {
        "form": form, "catalog": catalog, "number": number, "subject": subject, "chosen": form.chosen(),
    }, status=status)


@login_required
def apply(request):
    """Online: the applicant applies for themself or an organisation they represent."""
    subjects = list(selectors.subjects_acting_for(request.user).order_by("kind", "name"))
    catalog = published_matters()
    codes = [m.code for m, _v in catalog]
    status = 200
    if request.method == "POST":
        form = forms.ApplyForm(request.POST, subjects=subjects, matter_codes=codes)
        done, application, status = call_service(form, lambda data: services.application_start(
            subject_id=data["subject"], matter_codes=data["matters"], channel=Channel.ONLINE, by=request.user))
        if done:
            return _started(request, application)
    else:
        form = forms.ApplyForm(subjects=subjects, matter_codes=codes)
    chosen_subject = str(form["subject"].value() or "")
    return render(request, "approvals/process/apply.html", {
        "form": form, "catalog": catalog, "subjects": subjects, "chosen": form.chosen(),
        "chosen_subject": chosen_subject,
    }, status=status)


@login_required
def inbox(request):
    """Applications the user may see, newest first; staff start with the open ones."""
    staff = selectors.can_see_full_numbers(request.user)
    visible = selectors.applications_visible_to(request.user)
    state = request.GET.get("state") or ("open" if staff else "all")
    applications = visible
    if state == "open":
        applications = applications.filter(state__in=OPEN_STATES)
    elif state in ApplicationState.values:
        applications = applications.filter(state=state)
    else:
        state = "all"
    applications = (applications.select_related("subject")
                    .prefetch_related("matters__matter_version__matter").order_by("-created_at", "-pk"))
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    counts = dict(visible.order_by().values_list("state").annotate(n=Count("pk")))
    choices = [("open", _("open applications"), sum(counts.get(s, 0) for s in OPEN_STATES)),
               ("all", _("all applications"), sum(counts.values()))]
    choices += [(s.value, s.label, counts.get(s.value, 0)) for s in ApplicationState]
    return render(request, "approvals/process/inbox.html", {
        "page": page, "rows": [(a, is_overdue(a, today)) for a in page], "state": state, "choices": choices,
        "staff": staff, "window": has_role(request.user, WINDOW_STAFF, ADMINISTRATOR),
        "packages_link": staff or selectors.organisations_acting_for(request.user).exists(),
    })
