from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Incident, Message, MessageState


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnresolvedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", _("unresolved")), ("0", _("resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Incident)
class IncidentAdmin(_ReadOnly):
    """Tasks whose retries ran out: an administrator runs them again once the cause is fixed."""

    list_display = ["created_at", "task_name", "short_error", "retries", "resolved_at", "resolution"]
    list_filter = [UnresolvedFilter, "task_name"]
    search_fields = ["task_name", "error", "message__key"]
    readonly_fields = ["message", "task_name", "args", "kwargs", "error", "retries", "created_at", "resolved_at",
                       "resolved_by", "resolution"]
    actions = ["retry", "resolve"]

    def has_change_permission(self, request, obj=None):  # actions need it; every field stays read-only
        return request.user.has_perm("outbox.change_incident")

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return obj.error[:120]

    @admin.action(description=_("Run the selected tasks again"), permissions=["change"])
    def retry(self, request, queryset):
        count = services.incidents_retry(list(queryset), by=request.user)
        self.message_user(request, ngettext("%(count)d task sent again.", "%(count)d tasks sent again.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark the selected incidents resolved by hand"), permissions=["change"])
    def resolve(self, request, queryset):
        count = services.incidents_resolve(list(queryset), by=request.user)
        self.message_user(request, ngettext("%(count)d incident closed.", "%(count)d incidents closed.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(_ReadOnly):
    list_display = ["created_at", "task_name", "key", "state", "publish_count", "run_count", "done_at"]
    list_filter = ["state", "task_name"]
    search_fields = ["key", "task_name"]
    readonly_fields = ["key", "task_name", "args", "kwargs", "state", "created_at", "next_attempt_at",
                       "published_at", "publish_count", "run_count", "done_at", "last_error"]
    actions = ["send_now"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("outbox.change_message")

    @admin.action(description=_("Send the selected messages now"), permissions=["change"])
    def send_now(self, request, queryset):
        sent = sum(services.publish(pk) for pk in
                   queryset.filter(state__in=[MessageState.PENDING, MessageState.PUBLISHED]).values_list("pk", flat=True))
        self.message_user(request, ngettext("%(count)d message sent.", "%(count)d messages sent.", sent)
                          % {"count": sent}, messages.SUCCESS)
