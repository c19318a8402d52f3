"""Forms of the process pages. They only carry what was typed; the services decide and refuse."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import ReauthMethod, Subject, SubjectKind
from ..people_list import read_people

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class RefusalForm(forms.Form):
    """The base of every page form: no label colon, and a service's refusal shown where it belongs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_refusal(self, error: ValidationError) -> None:
        """Put a service's refusal on the field it names, or on the form as a whole."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


_Form = RefusalForm


class ActionForm(_Form):
    """A button without fields (choose a mode, decide, request a code): only refusals to show."""


class MattersForm(_Form):
    """One or more matters from the published catalog, chosen by code."""

    matters = forms.MultipleChoiceField(label=_("matters"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, matter_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matters"].choices = [(code, code) for code in matter_codes]

    def chosen(self) -> list[str]:
        return list(self["matters"].value() or [])


class IntakeForm(MattersForm):
    subject = forms.ModelChoiceField(queryset=Subject.objects.all(), widget=forms.HiddenInput,
                                     error_messages={"required": _("Find the applicant first."),
                                                     "invalid_choice": _("Find the applicant first.")})


class ApplyForm(MattersForm):
    subject = forms.TypedChoiceField(label=_("Apply for"), coerce=int, widget=forms.RadioSelect,
                                     error_messages={"required": _("Choose who applies.")})

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s.pk, s.name) for s in subjects]
        if len(self.fields["subject"].choices) == 1 and not self.is_bound:
            self.initial["subject"] = self.fields["subject"].choices[0][0]


class SignForm(_Form):
    method = forms.ChoiceField(label=_("Confirm your identity with"), choices=ReauthMethod.choices,
                               initial=ReauthMethod.PASSWORD, widget=forms.RadioSelect)
    password = forms.CharField(label=_("Password"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.CharField(label=_("one-time code"), required=False, max_length=6, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*", "size": 8}))
    confirm = forms.BooleanField(
        label=_("I have read the notice and make this commitment."),
        error_messages={"required": _("Tick the box to confirm that you have read the notice and commit.")},
    )

    def secret(self) -> str:
        data = self.cleaned_data
        return data["code"] if data["method"] == ReauthMethod.ONE_TIME_CODE else data["password"]


class ReasonForm(_Form):
    """Reject, terminate: the service says when a reason is missing."""

    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(_Form):
    reason = forms.CharField(label=_("Why do you withdraw?"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say why you withdraw the commitment.")})


class LenientForm(_Form):
    materials = forms.TypedMultipleChoiceField(label=_("Missing deferrable materials"), coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [(m.pk, m.name) for m in materials]


class UploadForm(_Form):
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"),
                           widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}))


class ReviewForm(_Form):
    """Staff accept a supplied material or return it; returning needs a reason (the service says so)."""

    reason = forms.CharField(label=_("Reason for returning it"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PackageForm(_Form):
    """A packaged commitment: the organisation, the matter, a title and the persons (pasted numbers or a CSV
    file). The persons are looked up here (people_list); whether they may be packaged is the service's rule."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False,
                                          widget=forms.RadioSelect)
    organisation_number = forms.CharField(label=_("Organisation's unified social credit code"), required=False,
                                          max_length=40)
    matter = forms.ChoiceField(label=_("Matter"), error_messages={"required": _("Choose the matter.")})
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("e.g. 2026 first batch of nurse practising registrations"))
    numbers = forms.CharField(label=_("ID card numbers, one per line"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
                              help_text=_("A name after the number (separated by a comma or tab) is checked against "
                                          "the registered name."))
    file = forms.FileField(label=_("or a CSV file"), required=False,
                           widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
                           help_text=_("Columns 身份证号码 (or number) and, optionally, 姓名 (or name); UTF-8 or "
                                       "GB18030, as Excel saves it."))

    def __init__(self, *args, organisations=(), staff=False, matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.unknown_numbers: list[str] = []
        self.unknown_organisation = False
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(self.fields["organisation"].choices) == 1 and not self.is_bound:
            self.initial["organisation"] = self.fields["organisation"].choices[0][0]
        self.fields["matter"].choices = [("", "—")] + [(m.code, f"{m.name}（{m.code}）") for m in matters]

    def clean_organisation_number(self):
        return "".join(self.cleaned_data["organisation_number"].split()).upper()

    def clean(self):
        data = super().clean()
        if self.staff and data.get("organisation_number"):
            organisation = Subject.objects.filter(number=data["organisation_number"],
                                                  kind=SubjectKind.ORGANISATION).first()
            if organisation is None:
                self.unknown_organisation = True
                self.add_error("organisation_number", _("No organisation with this unified social credit code is "
                                                        "registered."))
            data["organisation_id"] = organisation and organisation.pk
        elif data.get("organisation"):
            data["organisation_id"] = data["organisation"]
        else:
            self.add_error("organisation_number" if self.staff else "organisation",
                           _("Choose the organisation the package is filed for."))
        upload = data.get("file")
        if upload is not None and upload.size > settings.UPLOAD_MAX_BYTES:
            self.add_error("file", _("The file is larger than %(max)d MB.")
                           % {"max": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
            return data
        people = read_people(text=data.get("numbers", ""), upload=upload)
        self.unknown_numbers = people.unknown
        for message in people.messages():
            self.add_error("numbers", message)
        if not people.person_ids and not people.messages():
            self.add_error("numbers", _("List at least one ID card number, one per line, or upload a CSV file."))
        data["person_ids"], data["duplicates"] = people.person_ids, people.duplicates
        return data
