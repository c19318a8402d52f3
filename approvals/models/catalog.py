"""Matter catalog (事项清单). A matter's rules live in versions; a version used by an application is frozen."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Grade, MaterialKind, Mode, VerificationMethod, VerificationScope

GRADE_VALUES = set(Grade.values)


def _validate_grades(value):
    if not isinstance(value, list) or not set(value) <= GRADE_VALUES:
        raise ValidationError(_("Credit grades must be a list drawn from A, B, C and D."), code="grades")


def _validate_shares(value):
    if not isinstance(value, dict):
        raise ValidationError(_("Verification shares must map a grade to a percentage."), code="shares")
    for grade, share in value.items():
        if grade not in GRADE_VALUES or not isinstance(share, (int, float)) or not 0 <= share <= 100:
            raise ValidationError(
                _("Verification share for grade %(grade)s must be a percentage between 0 and 100."),
                code="shares",
                params={"grade": grade},
            )


class Matter(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")

    def __str__(self):
        return f"{self.code} {self.name}"

    def current_version(self):
        """The latest published version: the one new applications are made under."""
        published = getattr(self, "published_versions", None)  # prefetched newest first (the API's catalog list)
        if published is not None:
            return published[0] if published else None
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class MatterVersion(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="versions", verbose_name=_("matter"))
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("licensing conditions"))
    allows_commitment = models.BooleanField(_("allows notify and commit"), default=False)
    allows_lenient = models.BooleanField(_("allows lenient acceptance"), default=False)
    allows_green_channel = models.BooleanField(_("allows green channel"), default=False)
    commitment_grades = models.JSONField(
        _("grades allowed to use notify and commit"), default=list, blank=True, validators=[_validate_grades]
    )
    green_channel_grades = models.JSONField(
        _("grades allowed to use the green channel"), default=list, blank=True, validators=[_validate_grades]
    )
    statutory_limit_days = models.PositiveSmallIntegerField(_("statutory time limit (working days)"))
    verification_scope = models.CharField(
        _("verification after issuance"), max_length=10, choices=VerificationScope.choices, default=VerificationScope.EVERY
    )
    verification_method = models.CharField(
        _("verification method"), max_length=10, choices=VerificationMethod.choices, default=VerificationMethod.ON_SITE
    )
    verification_window_days = models.PositiveSmallIntegerField(_("verification window (days)"), default=90)
    verification_shares = models.JSONField(
        _("share verified by grade (%)"), default=dict, blank=True, validators=[_validate_shares]
    )
    certificate_name = models.CharField(_("certificate issued"), max_length=200)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), null=True, blank=True, help_text=_("Empty: valid indefinitely.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["matter__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="matter_version_number_unique")]
        verbose_name = _("matter version")
        verbose_name_plural = _("matter versions")

    def __str__(self):
        return f"{self.matter} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        """A version that an application was made under never changes again."""
        return self.pk is not None and self.application_matters.exists()

    @property
    def modes(self) -> list[str]:
        modes = [Mode.STANDARD]
        if self.allows_commitment:
            modes.append(Mode.COMMITMENT)
        if self.allows_lenient:
            modes.append(Mode.LENIENT)
        if self.allows_green_channel:
            modes.append(Mode.GREEN)
        return modes

    def clean(self):
        errors = {}
        if self.allows_commitment and not self.commitment_grades:
            errors["commitment_grades"] = _("Name the credit grades that may use notify and commit.")
        if self.allows_green_channel and not self.green_channel_grades:
            errors["green_channel_grades"] = _("Name the credit grades that may use the green channel.")
        if self.verification_scope == VerificationScope.RANDOM and not self.verification_shares:
            errors["verification_shares"] = _("A random share needs a percentage for each grade.")
        if self.pk and self.statutory_limit_days is not None:
            too_long = self.materials.filter(
                kind=MaterialKind.DEFERRABLE, supplement_days__gt=self.statutory_limit_days
            ).first()
            if too_long:
                errors["statutory_limit_days"] = _(
                    "The deferrable material “%(material)s” has a supplement deadline of %(days)d working days, "
                    "longer than this limit."
                ) % {"material": too_long.name, "days": too_long.supplement_days}
        if errors:
            raise ValidationError(errors)


class _VersionPart(models.Model):
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def clean(self):
        if self.version_id and self.version.is_frozen:
            raise ValidationError(
                _("Version %(number)d of this matter is used by applications and cannot change; create a new version."),
                code="frozen",
                params={"number": self.version.number},
            )


class Material(_VersionPart):
    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=MaterialKind.choices, default=MaterialKind.REQUIRED)
    replaces_proof = models.CharField(_("proof it replaces"), max_length=200, blank=True)
    issuing_office = models.CharField(_("office that would issue the proof"), max_length=200, blank=True)
    supplement_days = models.PositiveSmallIntegerField(
        _("supplement deadline (working days)"), null=True, blank=True
    )

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == MaterialKind.REPLACEABLE:
            if not self.replaces_proof:
                errors["replaces_proof"] = _("Name the proof that the commitment replaces.")
            if not self.issuing_office:
                errors["issuing_office"] = _("Name the office that would issue that proof.")
        if self.kind == MaterialKind.DEFERRABLE:
            if not self.supplement_days:
                errors["supplement_days"] = _("A deferrable material needs a supplement deadline in working days.")
            elif self.version_id and self.supplement_days > self.version.statutory_limit_days:
                errors["supplement_days"] = _(
                    "The supplement deadline (%(days)d working days) cannot exceed the matter's statutory "
                    "time limit of %(limit)d working days."
                ) % {"days": self.supplement_days, "limit": self.version.statutory_limit_days}
        elif self.supplement_days:
            errors["supplement_days"] = _("Only a deferrable material has a supplement deadline.")
        if errors:
            raise ValidationError(errors)


class CommitmentItem(_VersionPart):
    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="commitment_items")
    text = models.TextField(_("commitment"))

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("commitment item")
        verbose_name_plural = _("commitment items")

    def __str__(self):
        return self.text[:60]
