from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Subject, SubjectKind


class SubjectForm(forms.Form):
    """Register a subject at the counter. Errors name the field and the reason; nothing typed is lost."""

    kind = forms.ChoiceField(label=_("kind"), choices=SubjectKind.choices, widget=forms.RadioSelect, initial=SubjectKind.PERSON)
    name = forms.CharField(label=_("name"), max_length=200)
    number = forms.CharField(
        label=_("ID card number / unified social credit code"), max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
    )
    legal_representative_number = forms.CharField(
        label=_("legal representative's ID card number"), max_length=30, required=False,
        help_text=_("Organisations only: the legal representative must already be registered as a person."),
    )
    phone = forms.CharField(label=_("mobile phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels stand on their own line; no colon needed
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SubjectKind.ORGANISATION:
            number = "".join((data.get("legal_representative_number") or "").split()).upper()
            if not number:
                self.add_error("legal_representative_number", _("An organisation needs a legal representative."))
            else:
                person = Subject.objects.filter(number=number, kind=SubjectKind.PERSON).first()
                if person is None:
                    self.add_error("legal_representative_number",
                                   _("No person with this ID card number is registered; register the legal representative first."))
                data["legal_representative"] = person
        return data

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's model errors on the form fields they belong to."""
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None
            if field == "legal_representative":
                target = "legal_representative_number"
            for message in messages:
                self.add_error(target, message)
