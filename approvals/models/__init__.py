from .applications import Application, ApplicationMatter, ApplicationState
from .audit import StateChange
from .calendar import CalendarDay, CalendarYear
from .checks import CheckStage, CreditCheck
from .catalog import CommitmentItem, Material, Matter, MatterVersion
from .choices import Channel, Grade, MaterialKind, Mode, SubjectKind, VerificationMethod, VerificationScope
from .credit import CreditGrade, DishonestEntry, DishonestImport
from .subjects import Subject

__all__ = [
    "Application", "ApplicationMatter", "ApplicationState", "StateChange", "CalendarDay", "CalendarYear",
    "CheckStage", "CreditCheck", "CommitmentItem", "Material", "Matter", "MatterVersion", "Channel", "Grade", "MaterialKind", "Mode",
    "SubjectKind", "VerificationMethod", "VerificationScope", "CreditGrade", "DishonestEntry",
    "DishonestImport", "Subject",
]
