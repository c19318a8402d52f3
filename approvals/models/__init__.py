from .applications import (
    OPEN_STATES, Application, ApplicationMaterial, ApplicationMatter, ApplicationState, Package, PackageStatus,
)
from .audit import StateChange
from .calendar import CalendarDay, CalendarYear
from .commitments import (
    CommitmentLetter, Notice, OneTimeCode, ReauthMethod, Signature, SignatureChannel, Supplement, SupplementState,
)
from .licences import Licence, LicenceCounter, LicenceState
from .checks import CheckStage, CreditCheck
from .catalog import CommitmentItem, Material, Matter, MatterVersion
from .choices import Channel, Grade, MaterialKind, Mode, SubjectKind, VerificationMethod, VerificationScope
from .credit import CreditGrade, DishonestEntry, DishonestImport
from .subjects import Subject
from .idempotency import IdempotencyKey

__all__ = [
    "OPEN_STATES", "ApplicationMaterial", "Package", "PackageStatus", "CommitmentLetter", "Notice", "OneTimeCode", "ReauthMethod",
    "Signature", "SignatureChannel", "Supplement", "SupplementState", "Licence", "LicenceCounter", "LicenceState",
    "Application", "ApplicationMatter", "ApplicationState", "StateChange", "CalendarDay", "CalendarYear",
    "CheckStage", "CreditCheck", "CommitmentItem", "Material", "Matter", "MatterVersion", "Channel", "Grade", "MaterialKind", "Mode",
    "SubjectKind", "VerificationMethod", "VerificationScope", "CreditGrade", "DishonestEntry",
    "DishonestImport", "Subject", "IdempotencyKey",
]
