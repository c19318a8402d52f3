"""Sanctions services: the public entry points (import from here)."""

from .appeals import objection_decide, objection_file, repair_decide, repair_file
from .cases import (
    rectifications_sweep, violation_escalate, violation_grade, violation_open, violation_open_for_overdue_supplement,
    violation_open_manual, violation_order_rectification, violation_record_not_rectified, violation_record_rectified,
    violation_revoke,
)
from .feed import feed_pending, feed_push, record_json
from .restrictions import (
    restriction_for_noncompliance, restriction_impose, restriction_impose_manual, restriction_lift,
    restriction_lift_by_supervisor, restrictions_expire,
)

__all__ = [
    "objection_decide", "objection_file", "repair_decide", "repair_file", "rectifications_sweep",
    "violation_escalate", "violation_grade", "violation_open", "violation_open_for_overdue_supplement",
    "violation_open_manual", "violation_order_rectification", "violation_record_not_rectified",
    "violation_record_rectified", "violation_revoke", "feed_pending", "feed_push", "record_json",
    "restriction_for_noncompliance", "restriction_impose", "restriction_impose_manual", "restriction_lift",
    "restriction_lift_by_supervisor", "restrictions_expire",
]
