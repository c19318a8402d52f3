from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role

from . import selectors, services
from .models import Delivery, Preference


@login_required
def message_list(request):
    """All messages the authority sent me, with the e-mail/SMS delivery status of each."""
    messages = selectors.messages_for(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    page = Paginator(messages, 25).get_page(request.GET.get("page"))
    has_subject = getattr(request.user, "subject", None) is not None
    return render(request, "notifications/message_list.html", {
        "page": page, "unread_only": unread_only, "unread": selectors.unread_count(request.user),
        "has_subject": has_subject,
        "preference": None if has_subject else Preference.objects.filter(user=request.user).first(),
        "may_see_failed": has_role(request.user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR),
    })


@login_required
def message_detail(request, pk: int):
    message = get_object_or_404(selectors.messages_for(request.user), pk=pk)
    if message.recipient_id == request.user.pk:
        services.message_mark_read(message=message, by=request.user)
    return render(request, "notifications/message_detail.html", {"message": message})


@login_required
@require_POST
def mark_all_read(request):
    count = services.messages_mark_all_read(by=request.user)
    flash.success(request, _("%(n)s messages marked as read.") % {"n": count})
    return redirect("notifications:list")


@login_required
@require_POST
def preference(request):
    try:
        services.preference_set(user=request.user, language=request.POST.get("language", ""))
    except ValidationError as error:
        flash.error(request, "；".join(error.messages))
    else:
        flash.success(request, _("Messages will be written in the language you chose."))
    return redirect("notifications:list")


@login_required
def failed(request):
    if not has_role(request.user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only staff and administrators may see and retry failed deliveries."))
    page = Paginator(selectors.failed_deliveries(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page})


@login_required
@require_POST
def retry(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    delivery = services.delivery_retry(delivery_id=delivery.pk, by=request.user)
    delivery.refresh_from_db()
    if delivery.status == "sent":
        flash.success(request, _("Sent: %(delivery)s.") % {"delivery": delivery})
    elif delivery.status == "pending":
        flash.success(request, _("Queued again: %(delivery)s. The relay keeps trying.") % {"delivery": delivery})
    else:
        flash.error(request, _("Failed again: %(error)s") % {"error": delivery.last_error})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "notifications:failed")
