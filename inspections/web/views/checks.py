"""The inspector's pages, phone first: my checks, and one check recorded item by item, signed off by both."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import selectors, services
from ...models import InspectionRecord, Obligation, RecordPhoto
from .. import forms
from ..page import check_page, is_overdue, method_label, progress
from ._common import call_service, check_reader_required, inspector_required


def visible_obligation(request, obligation_id: int) -> Obligation:
    """The check, if the user may see it (its assigned inspectors, supervisors); 404 otherwise."""
    return get_object_or_404(selectors.obligations_visible_to(request.user).select_related(
        "licence__holder", "licence__matter", "draw"), pk=obligation_id)


def visible_record(request, obligation_id: int, record_id: int) -> tuple[Obligation, InspectionRecord]:
    obligation = visible_obligation(request, obligation_id)
    return obligation, get_object_or_404(InspectionRecord, pk=record_id, obligation=obligation)


def check_url(obligation_id: int, anchor: str = "") -> str:
    return reverse("inspections:check", args=[obligation_id]) + (f"#{anchor}" if anchor else "")


def render_check(request, obligation, bound=None, status=200):
    return render(request, "inspections/check.html", check_page(request, obligation, bound), status=status)


@inspector_required
def check_list(request):
    today = timezone.localdate()
    rows = [{"obligation": o, "licence": o.licence, "holder": o.licence.holder, "matter": o.licence.matter,
             "method": method_label(o.method), "overdue": is_overdue(o, today), "progress": progress(o, request.user)}
            for o in selectors.checks_assigned_to(request.user).prefetch_related("records__items",
                                                                               "records__signoffs")]
    return render(request, "inspections/check_list.html", {"rows": rows, "today": today})


@check_reader_required
def check_detail(request, obligation_id):
    return render_check(request, visible_obligation(request, obligation_id))


@inspector_required
@require_POST
def check_start(request, obligation_id):
    obligation = visible_obligation(request, obligation_id)
    form = forms.ActionForm(request.POST, prefix="start")
    done, _record, status = call_service(
        form, lambda data: services.record_open(obligation_id=obligation.pk, by=request.user))
    if done:
        return redirect(check_url(obligation.pk, "items"))
    return render_check(request, obligation, {"start": form}, status)


@inspector_required
@require_POST
def item_save(request, obligation_id, record_id, item_id):
    """One item's result and note. A refusal shows on that item only; the other items are saved already."""
    obligation, record = visible_record(request, obligation_id, record_id)
    item = get_object_or_404(record.items, pk=item_id)
    form = forms.ItemForm(request.POST, prefix=f"item{item.pk}")
    done, _item, status = call_service(form, lambda data: services.record_item(
        record_id=record.pk, item_id=item.pk, by=request.user, result=data["result"], note=data["note"]))
    if done:
        following = record.items.filter(position__gt=item.position, result="").order_by("position").first()
        messages.success(request, _("Item %(position)s saved.") % {"position": item.position})
        return redirect(check_url(obligation.pk, f"item-{following.pk}" if following else "sign"))
    return render_check(request, obligation, {"item": {item.pk: form}}, status)


@inspector_required
@require_POST
def photo_upload(request, obligation_id, record_id, item_id):
    obligation, record = visible_record(request, obligation_id, record_id)
    item = get_object_or_404(record.items, pk=item_id)
    form = forms.PhotoForm(request.POST, request.FILES, prefix=f"photo{item.pk}")
    done, _photo, status = call_service(form, lambda data: services.record_photo(
        record_id=record.pk, by=request.user, upload=data["photo"], item_id=item.pk))
    if done:
        messages.success(request, _("Photo added to item %(position)s.") % {"position": item.position})
        return redirect(check_url(obligation.pk, f"item-{item.pk}"))
    return render_check(request, obligation, {"photo": {item.pk: form}}, status)


@inspector_required
@require_POST
def record_sign(request, obligation_id, record_id):
    obligation, record = visible_record(request, obligation_id, record_id)
    form = forms.SignForm(request.POST, prefix="sign")
    done, signed, status = call_service(form, lambda data: services.record_sign(
        record_id=record.pk, by=request.user, note=data["note"]))
    if done:
        if signed.state == "signed":
            messages.success(request, _("Signed off. Every inspector has signed: the check is concluded (%(conclusion)s).")
                             % {"conclusion": signed.get_conclusion_display()})
        else:
            messages.success(request, _("Signed off. The record is now frozen and waits for the other inspector."))
        return redirect(check_url(obligation.pk, "sign"))
    return render_check(request, obligation, {"sign": form}, status)


@inspector_required
@require_POST
def record_correct(request, obligation_id, record_id):
    obligation, record = visible_record(request, obligation_id, record_id)
    form = forms.CorrectForm(request.POST, prefix="correct")
    done, _correction, status = call_service(form, lambda data: services.record_correct(
        record_id=record.pk, by=request.user, reason=data["reason"]))
    if done:
        messages.success(request, _("A correction was started from the signed record; change what was wrong, then "
                                    "both inspectors sign it again."))
        return redirect(check_url(obligation.pk, "items"))
    return render_check(request, obligation, {"correct": form}, status)


@check_reader_required
def photo_view(request, photo_id):
    """A record's photo, only to the check's assigned inspectors and supervisors (never from MEDIA_URL)."""
    photo = get_object_or_404(RecordPhoto.objects.select_related("record"), pk=photo_id)
    visible_obligation(request, photo.record.obligation_id)
    response = FileResponse(photo.file.open("rb"), filename=photo.filename, content_type=photo.content_type,
                            as_attachment=not photo.content_type.startswith("image/"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
