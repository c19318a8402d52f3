"""Subjects (申请人/相对人): persons identified by their ID card number, organisations by their credit code."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..masking import mask_name, mask_number
from ..validators import validate_credit_code, validate_id_card_number
from .choices import SubjectKind


class Subject(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(
        _("ID card number / unified social credit code"), max_length=18, unique=True,
        error_messages={"unique": _("A subject with this number is already registered.")},
    )
    legal_representative = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_organisations",
        limit_choices_to={"kind": SubjectKind.PERSON},
        verbose_name=_("legal representative"),
    )
    agents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="agent_for",
        limit_choices_to={"kind": SubjectKind.PERSON},
        verbose_name=_("authorised agents"),
        help_text=_("Persons who may apply and sign for this organisation besides its legal representative."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject",
        verbose_name=_("login account"),
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=SubjectKind.PERSON, legal_representative__isnull=True))
                | Q(kind=SubjectKind.ORGANISATION, legal_representative__isnull=False),
                name="subject_legal_representative_only_for_organisations",
                violation_error_message=_("An organisation needs a legal representative; a person has none."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == SubjectKind.PERSON

    @property
    def masked_number(self) -> str:
        return mask_number(self.number)

    @property
    def masked_name(self) -> str:
        """Persons' names are personal data; organisations' names are public."""
        return mask_name(self.name) if self.is_person else self.name

    @property
    def number_label(self) -> str:
        return _("ID card number") if self.is_person else _("unified social credit code")

    def clean(self):
        errors = {}
        if self.number:
            try:
                validate = validate_id_card_number if self.is_person else validate_credit_code
                self.number = validate(self.number)
            except ValidationError as error:
                errors["number"] = error
        if self.is_person:
            if self.legal_representative_id:
                errors["legal_representative"] = _("A person has no legal representative.")
        else:
            if not self.legal_representative_id:
                errors["legal_representative"] = _("An organisation needs a legal representative.")
            elif not self.legal_representative.is_person:
                errors["legal_representative"] = _("The legal representative must be a person.")
            if self.user_id:
                errors["user"] = _("Only a person has a login account; an organisation acts through its people.")
        if errors:
            raise ValidationError(errors)
