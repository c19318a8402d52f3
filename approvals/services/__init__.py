from .calendar import (
    CalendarNotCovered, add_working_days, calendar_covers, calendar_year_declare_provisional, is_working_day,
    working_days_between,
)
from .catalog import matter_version_edit, matter_version_publish, matter_version_revise
from .credit_check import credit_check_run, entitlement_for
from .dishonest import ImportRejected, dishonest_entries_exist, dishonest_list_import
from .subjects import subject_create

__all__ = [
    "CalendarNotCovered", "add_working_days", "calendar_covers", "calendar_year_declare_provisional",
    "is_working_day", "working_days_between",
    "matter_version_edit", "matter_version_publish", "matter_version_revise",
    "credit_check_run", "entitlement_for", "ImportRejected", "dishonest_entries_exist", "dishonest_list_import", "subject_create",
]
