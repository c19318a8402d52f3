"""The application process (DESIGN.md "The application process") as a viewflow flow. Thin: the flow tracks
where an Application is and whose turn it is; approvals.services decide. After the start every step is moved
by an application event (approvals.ports.emit → workflows.sync.on_application_event), never by the flow.

    start → choose_mode → route ─ commitment → await_signature ─ sign → await_decision ─ decide → end
                  ↑             │                   └ withdrawn_before_signing ┐   └ withdrawn_after_signing ┐
                  │             └ standard → review → end                      │                             │
                  └────────────────────────────────────────────────────────────┴─────────────────────────────┘

await_signature / await_decision are event-based choices (SplitFirst): whichever branch completes first
cancels the other, so a withdrawn signature leaves a visible trail back to the mode choice.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.base import Edge

from approvals.models import Application, Mode

from . import views
from .models import ApplicationProcess

__all__ = ["ApplicationFlow", "ApplicationProcess"]

DECIDE_PERMISSION = "workflows.decide_application"
REVIEW_PERMISSION = "workflows.review_application"
SIGN_PERMISSION = "workflows.sign_for_unlinked_applicant"


class HumanTask(flow.View):
    """A human task whose links open the application page; it is completed only by the process listener."""

    index_view_class = views.TaskIndexView

    def __init__(self, **kwargs):
        super().__init__(views.OpenApplicationView.as_view(), **kwargs)


class If(flow.If):
    """viewflow's If, with its branches' captions on the flow chart ("yes" / "no", plain text there) translated."""

    LABELS = {"cond_true": _("yes"), "cond_false": _("no")}

    def _outgoing(self):
        for edge in super()._outgoing():
            yield Edge(src=edge.src, dst=edge.dst, edge_class=edge.edge_class,
                       label=self.LABELS.get(edge.edge_class, edge.label))


class ApplicationFlow(flow.Flow):
    """Application process

    An application from intake to decision: mode choice, the applicant's signature, the decision."""

    process_class = ApplicationProcess
    process_title = _("Application process")
    process_description = _("An application from intake to decision: mode choice, the applicant's signature, "
                            "the decision.")
    # the process row is locked inside the service's transaction, after the application row; wait rather
    # than NOWAIT: a NOWAIT failure inside an outer transaction would poison it on PostgreSQL
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_summary_template = _("Application #{{ process.artifact_object_id }}")

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Application received and credit checked"))
        .Next(this.choose_mode)
    )
    choose_mode = (
        flow.Handle(this.mode_chosen)
        .Annotation(title=_("Choose notify-and-commit or standard review"))
        .Next(this.route)
    )
    route = (
        If(this.chose_commitment)
        .Annotation(title=_("Mode chosen"))
        .Then(this.await_signature)
        .Else(this.review)
    )
    await_signature = (
        flow.SplitFirst()
        .Annotation(title=_("Awaiting the signature"))
        .Next(this.sign)
        .Next(this.withdrawn_before_signing)
    )
    sign = (
        HumanTask()
        .Annotation(title=_("Sign the commitment letter"),
                    summary_template=_("Application #{{ process.artifact_object_id }}"))
        .Assign(this.signer_user)
        .Permission(SIGN_PERMISSION)
        .Next(this.await_decision)
    )
    withdrawn_before_signing = (
        flow.MessageCatch(this.record)
        .Annotation(title=_("Commitment withdrawn"))
        .Next(this.choose_mode)
    )
    await_decision = (
        flow.SplitFirst()
        .Annotation(title=_("Awaiting the decision"))
        .Next(this.decide)
        .Next(this.withdrawn_after_signing)
    )
    decide = (
        HumanTask()
        .Annotation(title=_("Decide on the spot"),
                    summary_template=_("Application #{{ process.artifact_object_id }}"))
        .Permission(DECIDE_PERMISSION)
        .Next(this.end)
    )
    withdrawn_after_signing = (
        flow.MessageCatch(this.record)
        .Annotation(title=_("Signature withdrawn"))
        .Next(this.choose_mode)
    )
    review = (
        HumanTask()
        .Annotation(title=_("Standard review"),
                    summary_template=_("Application #{{ process.artifact_object_id }}"))
        .Permission(REVIEW_PERMISSION)
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Finished"))

    def start_process(self, activation, application):
        activation.process.artifact, activation.process.last_event = application, "started"
        return activation.process

    def record(self, activation, event):
        activation.process.last_event = event
        activation.process.save(update_fields=["data"])

    def mode_chosen(self, activation, mode, event):
        activation.process.mode = mode
        self.record(activation, event)

    def chose_commitment(self, activation):
        return activation.process.mode == Mode.COMMITMENT

    def signer_user(self, activation):
        """Who signs: the person applying, or the organisation's legal representative (the package's
        organisation for a packaged commitment); None if they have no login (the task then waits unassigned)."""
        application = (Application.objects.select_related(  # one query for what the chain below reads
            "subject__user", "subject__legal_representative__user", "package__organisation__user",
            "package__organisation__legal_representative__user").get(pk=activation.process.artifact_object_id))
        subject = application.package.organisation if application.package_id else application.subject
        if subject.legal_representative_id:
            subject = subject.legal_representative
        return subject.user
