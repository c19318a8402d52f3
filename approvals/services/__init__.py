from .calendar import (
    CalendarNotCovered, add_working_days, calendar_covers, calendar_year_declare_provisional, is_working_day,
    working_days_between,
)
from .catalog import matter_version_edit, matter_version_publish, matter_version_revise
from .credit_check import credit_check_run, entitlement_for
from .decision import EntitlementChanged, application_decide, application_reject, licence_issue, licence_revoke
from .intake import (
    application_choose_commitment, application_choose_standard, application_convert_to_standard, application_start, application_terminate,
    application_upload_material, commitment_refusals, latest_check,
)
from .package import package_create, package_decide, package_prepare, package_sign, packages_prepare_sweep
from .signing import channel_from_user_agent, otp_request, request_evidence, signature_sign, signature_withdraw
from .supplements import application_accept_lenient, supplement_review, supplement_supply, supplements_sweep
from ._common import Refused
from .dishonest import ImportRejected, dishonest_entries_exist, dishonest_list_import
from .subjects import subject_create

__all__ = [
    "EntitlementChanged", "application_decide", "application_reject", "licence_issue", "licence_revoke",
    "application_choose_commitment", "application_choose_standard", "application_convert_to_standard", "application_start", "application_terminate",
    "application_upload_material", "commitment_refusals", "latest_check", "package_create", "package_decide",
    "package_prepare", "package_sign", "packages_prepare_sweep", "channel_from_user_agent", "otp_request", "request_evidence", "signature_sign", "signature_withdraw", "application_accept_lenient",
    "supplement_review", "supplement_supply", "supplements_sweep", "Refused",
    "CalendarNotCovered", "add_working_days", "calendar_covers", "calendar_year_declare_provisional",
    "is_working_day", "working_days_between",
    "matter_version_edit", "matter_version_publish", "matter_version_revise",
    "credit_check_run", "entitlement_for", "ImportRejected", "dishonest_entries_exist", "dishonest_list_import", "subject_create",
]
