from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import SubjectForm
from .models import Matter, Subject
from .roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["applications"] = selectors.applications_visible_to(request.user).select_related("subject")[:20]
        context["my_subjects"] = selectors.subjects_acting_for(request.user)
        context["my_organisations"] = selectors.organisations_acting_for(request.user).exists()
    context["matter_count"] = Matter.objects.count()
    return render(request, "approvals/home.html", context)


def matter_list(request):
    matters = [(m, m.current_version()) for m in Matter.objects.prefetch_related("versions")]
    return render(request, "approvals/matter_list.html", {"matters": [(m, v) for m, v in matters if v]})


def matter_detail(request, code):
    matter = get_object_or_404(Matter, code=code)
    version = matter.current_version()
    if version is None:
        raise PermissionDenied
    return render(request, "approvals/matter_detail.html", {
        "matter": matter, "version": version,
        "materials": version.materials.all(), "items": version.commitment_items.all(),
    })


def _staff_only(request):
    if not has_role(request.user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied


@login_required
def subject_create(request):
    _staff_only(request)
    if not request.user.has_perm("approvals.add_subject"):
        raise PermissionDenied
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = services.subject_create(
                kind=data["kind"], name=data["name"], number=data["number"],
                legal_representative=data.get("legal_representative"), phone=data["phone"], email=data["email"],
            )
        except ValidationError as error:
            form.apply_errors(error)
        except IntegrityError:
            form.add_error("number", _("A subject with this number is already registered."))
        else:
            messages.success(request, _("%(name)s registered.") % {"name": subject.name})
            return redirect("subject_detail", subject.pk)
    return render(request, "approvals/subject_form.html", {"form": form})


@login_required
def subject_detail(request, pk):
    subject = get_object_or_404(selectors.subjects_visible_to(request.user), pk=pk)
    return render(request, "approvals/subject_detail.html", {
        "subject": subject,
        "facts": selectors.credit_facts(subject),
        "full_numbers": selectors.can_see_full_numbers(request.user),
        "applications": selectors.applications_visible_to(request.user).filter(subject=subject)[:50],
    })


@login_required
def subject_search(request):
    _staff_only(request)
    query = " ".join(request.GET.get("q", "").split())
    results = []
    if query:
        # a number as read out from the card, spaces and all, is matched exactly on the unique index (numbers are
        # stored upper-case); a name by part, its spaces kept (trigram index on PostgreSQL, approvals 0006)
        number = query.replace(" ", "").upper()
        results = Subject.objects.filter(Q(number=number) | Q(name__icontains=query))[:50]
    return render(request, "approvals/subject_search.html", {"query": query, "results": results})
