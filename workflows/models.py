"""The application process as a viewflow Process: a proxy whose artifact is the approvals Application.

The flow itself is in flows.py; the proxy lives here so that its permissions are part of the app's models. The
events the process has to follow are kept in ProcessEvent (workflows.sync)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow import jsonstore
from viewflow.workflow.models import Process

from approvals.models.choices import Mode


class ApplicationEvent(models.TextChoices):
    """The application events the process follows (workflows.sync.HANDLERS), as the process panel names them."""

    STARTED = "started", pgettext_lazy("process event", "application received and credit checked")
    NOTIFIED = "notified", pgettext_lazy("process event", "notify and commit chosen")
    STANDARD_REVIEW = "standard_review", pgettext_lazy("process event", "standard review chosen")
    SIGNED = "signed", pgettext_lazy("process event", "commitment signed")
    SIGNATURE_WITHDRAWN = "signature_withdrawn", pgettext_lazy("process event", "signature withdrawn")
    CONVERTED_TO_STANDARD = "converted_to_standard", pgettext_lazy("process event", "converted to standard review")
    ACCEPTED_LENIENT = "accepted_lenient", pgettext_lazy("process event", "accepted with materials deferred")
    DECIDED = "decided", pgettext_lazy("process event", "decided")
    REJECTED = "rejected", pgettext_lazy("process event", "rejected")
    FAILED = "failed", pgettext_lazy("process event", "failed")
    TERMINATED = "terminated", pgettext_lazy("process event", "terminated")


class ApplicationProcess(Process):
    """One per Application (Process.artifact, an indexed generic FK); the rules stay in approvals.services."""

    # jsonstore fields live in Process.data, outside the migrations; the choices and verbose names are for
    # viewflow's process panel (viewflow.utils.get_object_data shows verbose_name and get_<field>_display)
    # the mode chosen at the mode-choice step ("commitment" | "standard"), read by the route gateway
    mode = jsonstore.CharField(_("process mode"), max_length=12, blank=True, choices=Mode.choices)
    # the last application event that moved this process (decided, rejected, failed, terminated, ...)
    last_event = jsonstore.CharField(_("last event"), max_length=30, blank=True, choices=ApplicationEvent.choices)
    # lenient acceptance (容缺受理) happened while the decision task was open
    lenient = jsonstore.BooleanField(_("lenient acceptance"), default=False)

    class Meta:
        proxy = True
        ordering = ["-created"]  # a proxy's own Meta does not inherit Process's ordering (the lists paginate)
        verbose_name = _("application process")
        verbose_name_plural = _("application processes")
        # viewflow adds "manage" when the flow class is built; declared here so migrations create it too
        default_permissions = ("add", "change", "delete", "view", "manage")
        # queue permissions of the human tasks (viewflow's user_queue matches task.owner_permission against these)
        permissions = [
            ("decide_application", _("Can take the on-the-spot decision tasks")),
            ("review_application", _("Can take the standard review tasks")),
            ("sign_for_unlinked_applicant", _("Can see signing tasks of applicants without a login")),
        ]

    @property
    def application_id(self) -> int | None:
        return self.artifact_object_id

    def get_lenient_display(self) -> str:
        """是 / 否 on the process panel, instead of True / False."""
        return _("yes") if self.lenient else _("no")


class ProcessEvent(models.Model):
    """An application event waiting for its process to follow it (workflows.sync). The act that moved the
    application writes it in its own transaction; after the commit a worker (workflows.tasks.process_follow; in
    the embedded default at once, in-process) applies the application's events in the order they were written and
    deletes them. The act does not pay for viewflow's bookkeeping, and an event is not lost: one left waiting is
    followed by the periodic sweep."""

    application = models.ForeignKey("approvals.Application", on_delete=models.CASCADE, related_name="+",
                                    db_index=False, verbose_name=_("application"))
    event = models.CharField(_("event"), max_length=30, choices=ApplicationEvent.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", db_index=False, verbose_name=_("by"))  # waiting rows are few
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("process event")
        verbose_name_plural = _("process events")
        indexes = [models.Index(fields=["application", "id"], name="processevent_application")]

    def __str__(self):
        return f"#{self.application_id} {self.event}"
