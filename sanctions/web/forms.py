"""Forms of the sanctions pages. They carry what was typed and find rows by number; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import Application, Licence, LicenceState, Matter, Subject
from approvals.web.forms import RefusalForm as _Form

from ..models import Level, RestrictionScope, ViolationKind

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _text(label, rows=3, required=False, **kwargs):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _level_field(label):
    return forms.TypedChoiceField(label=label, coerce=int, choices=Level.choices,
                                  error_messages={"required": _("Choose the level.")})


def normalise_number(value: str) -> str:
    return "".join((value or "").split()).upper()


class SubjectNumberForm(_Form):
    """The subject by its ID card number or unified social credit code."""

    subject_number = forms.CharField(
        label=_("ID card number / unified social credit code"), max_length=40,
        error_messages={"required": _("Enter the subject's ID card number or unified social credit code.")})

    def clean_subject_number(self):
        number = normalise_number(self.cleaned_data["subject_number"])
        self.subject = Subject.objects.filter(number=number).first()
        if self.subject is None:
            raise ValidationError(_("No subject with this number is registered."))
        return number


class CaseOpenForm(SubjectNumberForm):
    kind = forms.ModelChoiceField(label=_("kind of violation"), queryset=ViolationKind.objects.filter(active=True),
                                  to_field_name="code", empty_label="—",
                                  error_messages={"required": _("Choose the kind of violation.")})
    findings = _text(_("findings"), rows=4)
    evidence = _text(_("evidence"), rows=3)
    licences = forms.TypedMultipleChoiceField(label=_("licences concerned"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    application = forms.TypedChoiceField(label=_("application concerned"), coerce=int, required=False,
                                         empty_value=None)

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.set_subject(subject)

    def set_subject(self, subject):
        """Offer the subject's valid licences and its applications."""
        self.fields["kind"].label_from_instance = lambda kind: f"{kind.label}（{kind.get_level_display()}）"
        if subject is None:
            self.fields["licences"].choices, self.fields["application"].choices = [], [("", "—")]
            return
        licences = Licence.objects.filter(holder=subject, state__in=[LicenceState.VALID, LicenceState.SUSPENDED])
        self.fields["licences"].choices = [(lic.pk, f"{lic.number} {lic.matter.name}")
                                           for lic in licences.select_related("matter")]
        applications = Application.objects.filter(subject=subject).order_by("-created_at", "-pk")[:50]
        self.fields["application"].choices = [("", "—")] + [
            (a.pk, f"{a.pk} · {a.get_state_display()} · {a.created_at:%Y-%m-%d}") for a in applications]

    def chosen_licences(self):
        return list(Licence.objects.filter(pk__in=self.cleaned_data.get("licences") or []))

    def chosen_application(self):
        pk = self.cleaned_data.get("application")
        return Application.objects.filter(pk=pk).first() if pk else None


class GradeForm(_Form):
    level = _level_field(_("level"))
    reason = _text(_("reason (required above the kind's level)"), rows=2)


class EscalateForm(_Form):
    level = _level_field(_("new level"))
    reason = _text(_("reason for the escalation"), rows=2)


class RectificationForm(_Form):
    deadline = forms.DateField(label=_("rectify by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")})
    reason = _text(_("what must be rectified"), rows=2)


class ReportForm(_Form):
    report = _text(_("how the subject rectified"), rows=3)


class ReasonForm(_Form):
    reason = _text(_("reason"), rows=3)


class RevokeForm(_Form):
    reason = _text(_("reasons for the revocation"), rows=3)


class DecisionForm(_Form):
    """An objection (upheld / rejected) or a repair (approved / rejected), with reasons."""

    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect,
                                 error_messages={"required": _("Choose the decision.")})
    reasons = _text(_("reasons for the decision"), rows=3)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = list(choices)


OBJECTION_CHOICES = [("upheld", _("upheld: the finding is corrected and the case withdrawn")),
                     ("rejected", _("rejected: the finding stands"))]
REPAIR_CHOICES = [("approved", _("approved: the restriction and publication end now")),
                  ("rejected", _("rejected: no repair for now"))]


class RestrictionForm(SubjectNumberForm):
    scope = forms.ChoiceField(label=_("scope"), choices=RestrictionScope.choices, initial=RestrictionScope.ALL,
                              widget=forms.RadioSelect)
    matter = forms.ModelChoiceField(label=_("matter (for one matter only)"), queryset=Matter.objects.all(),
                                    to_field_name="code", required=False, empty_label="—")
    reason = _text(_("reason"), rows=3)
    legal_basis = _text(_("legal basis of the act"), rows=2)
    starts_at = forms.DateTimeField(label=_("starts at"), input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format=DATETIME_INPUT),
                                    error_messages={"required": _("Enter when the restriction starts."),
                                                    "invalid": _("Enter a date and time.")})
    ends_at = forms.DateTimeField(label=_("ends at"), input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
                                  error_messages={"required": _("Enter when the restriction ends."),
                                                  "invalid": _("Enter a date and time.")})
    key_supervision = forms.BooleanField(label=_("key supervision target (重点监管对象)"), required=False,
                                         initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].label_from_instance = lambda m: f"{m.name}（{m.code}）"

    def clean(self):
        data = super().clean()
        if data.get("scope") == RestrictionScope.MATTER and not data.get("matter"):
            self.add_error("matter", _("Choose the matter the restriction is limited to."))
        if data.get("scope") == RestrictionScope.ALL:
            data["matter"] = None
        return data


def restriction_initial(months: int) -> dict:
    from dateutil.relativedelta import relativedelta

    start = timezone.localtime().replace(second=0, microsecond=0)
    return {"starts_at": start, "ends_at": start + relativedelta(months=months), "key_supervision": True,
            "scope": RestrictionScope.ALL}


class ObjectionForm(_Form):
    grounds = _text(_("What is wrong with the finding?"), rows=4)


class RepairForm(_Form):
    evidence = _text(_("How did you rectify? Describe the evidence."), rows=4)
