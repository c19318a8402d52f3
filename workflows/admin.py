"""The events the application processes have yet to follow (workflows.sync), for an operator asking why a task
is not in a queue yet."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from approvals.admin import ReadOnlyAdmin

from .models import ProcessEvent
from .sync import follow


@admin.register(ProcessEvent)
class ProcessEventAdmin(ReadOnlyAdmin):
    """Normally empty, or a row for well under a second: a worker follows each event after its act commits. One
    waiting over a minute had its task lost (e.g. the broker was away); the per-minute sweep follows it, or an
    administrator does at once with the action."""

    list_display = ["at", "application", "event", "by", "waiting"]
    list_filter = ["event"]
    list_select_related = ["application", "by"]
    search_fields = ["=application__id"]
    actions = ["follow_now"]

    def has_change_permission(self, request, obj=None):  # the action needs it; nothing is edited here
        return request.user.has_perm("workflows.change_processevent")

    @admin.display(description=_("waiting"))
    def waiting(self, obj):
        seconds = int((timezone.now() - obj.at).total_seconds())
        return _("%(minutes)d min %(seconds)d s") % {"minutes": seconds // 60, "seconds": seconds % 60}

    @admin.action(description=_("Follow now: the waiting events of the selected applications, in order"),
                  permissions=["change"])
    def follow_now(self, request, queryset):
        applications = sorted(set(queryset.values_list("application_id", flat=True)))
        count = sum(follow(*applications[start:start + 100]) for start in range(0, len(applications), 100))
        self.message_user(request, ngettext("%(count)d event followed.", "%(count)d events followed.", count)
                          % {"count": count}, messages.SUCCESS)
