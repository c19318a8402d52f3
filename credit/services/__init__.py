from .entries import can_record, entry_record, on_obligation_concluded, on_sanction_act  # noqa: F401
from .scoring import (  # noqa: F401
    active_version, explain_subject, nightly_run, recalculate, recalculate_quietly,
)
from .versions import version_check, version_copy, version_problems, version_publish  # noqa: F401
