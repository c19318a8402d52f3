"""Forms of the inspection pages. They only carry what was typed; the services decide and refuse."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import Matter, Subject
from approvals.web.forms import RefusalForm as _Form

from ..models import DrawMode, ItemResult
from ..services import inspectors


class ActionForm(_Form):
    """A button without fields (start the check, run or verify a draw): only refusals to show."""


class ItemForm(_Form):
    """One commitment item: met / not met / not applicable and a note (required when not met: the service says)."""

    result = forms.ChoiceField(label=_("result"), choices=ItemResult.choices, required=False,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PhotoForm(_Form):
    photo = forms.FileField(
        label=_("Add a photo"), error_messages={"required": _("Choose or take a photo first.")},
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}))


class SignForm(_Form):
    note = forms.CharField(label=_("Overall note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CorrectForm(_Form):
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Enter the date."),
                                           "invalid": _("Enter a date such as 2026-03-31.")})


class DrawForm(_Form):
    title = forms.CharField(label=_("Draw title"), max_length=200, required=False,
                            help_text=_("e.g. 2026 Q4 verification of food business licences"))
    matters = forms.ModelMultipleChoiceField(label=_("Matters"), queryset=Matter.objects.order_by("code"),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    issued_from = _date_field(_("Licences issued from"))
    issued_to = _date_field(_("Licences issued to"))
    department = forms.ChoiceField(label=_("Department"), required=False)
    mode = forms.ChoiceField(label=_("How targets are drawn"), choices=DrawMode.choices, initial=DrawMode.WEIGHTED,
                             widget=forms.RadioSelect)
    share_percent = forms.DecimalField(label=_("Share (%)"), required=False, max_digits=5, decimal_places=2,
                                       min_value=0, max_value=100,
                                       widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    count = forms.IntegerField(label=_("Number of licences"), required=False, min_value=0,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    inspectors = forms.ModelMultipleChoiceField(label=_("Inspector pool"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    inspectors_per_target = forms.IntegerField(label=_("Inspectors per licence"), initial=2, min_value=0,
                                               max_value=10, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                               error_messages={"required": _("Enter a number.")})
    recheck_days = forms.IntegerField(label=_("No re-check of a subject within (days)"), initial=180, min_value=0,
                                      max_value=3650, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                      error_messages={"required": _("Enter a number.")})
    seed_number = forms.CharField(label=_("Seed number"), max_length=40, required=False,
                                  help_text=_("A number read out or drawn at the draw meeting; it is recorded with "
                                              "the draw time, so anyone can recompute the draw."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pool = inspectors()
        self.fields["inspectors"].queryset = pool
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username
        departments = sorted(set(Matter.objects.values_list("department", flat=True)) - {""})
        self.fields["department"].choices = [("", _("all departments"))] + [(d, d) for d in departments]
        self.fields["matters"].label_from_instance = lambda m: f"{m.name}（{m.code}）"
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("issued_from", today - timedelta(days=90))
            self.initial.setdefault("issued_to", today)
            self.initial.setdefault("inspectors", list(pool.values_list("pk", flat=True)))


class RecusalForm(_Form):
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=None,
                                       empty_label=_("— choose —"),
                                       error_messages={"required": _("Choose the inspector.")})
    subject_number = forms.CharField(
        label=_("Subject's ID card number / unified social credit code"), max_length=40,
        error_messages={"required": _("Enter the subject's ID card number or unified social credit code.")})
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300,
                             help_text=_("e.g. close relative of the legal representative"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors()
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_subject_number(self):
        number = "".join((self.cleaned_data["subject_number"] or "").split()).upper()
        self.subject = Subject.objects.filter(number=number).first()
        if self.subject is None:
            raise ValidationError(_("No subject with this number is registered."))
        return number
