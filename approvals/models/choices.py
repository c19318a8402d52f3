from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    STANDARD = "standard", _("standard review")
    COMMITMENT = "commitment", _("notify and commit")
    LENIENT = "lenient", _("lenient acceptance")
    GREEN = "green", _("green channel")


class Grade(models.TextChoices):
    A = "A", _("A (trustworthy)")
    B = "B", _("B (basically trustworthy)")
    C = "C", _("C (untrustworthy)")
    D = "D", _("D (seriously untrustworthy)")


class MaterialKind(models.TextChoices):
    REQUIRED = "required", _("required")
    REPLACEABLE = "replaceable", _("replaceable by commitment")
    DEFERRABLE = "deferrable", _("deferrable (lenient acceptance)")


class VerificationScope(models.TextChoices):
    EVERY = "every", _("every licence")
    RANDOM = "random", _("a random share")


class VerificationMethod(models.TextChoices):
    ON_SITE = "on_site", _("on-site inspection")
    DOCUMENTS = "documents", _("document review")
    DATA = "data", _("data comparison")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class Channel(models.TextChoices):
    COUNTER = "counter", _("service window")
    ONLINE = "online", _("online")
    PACKAGE = "package", _("package import")
