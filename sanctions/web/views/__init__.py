from .cases import (
    case_detail, case_escalate, case_grade, case_list, case_new, case_not_rectified, case_order_rectification,
    case_rectified, case_revoke, objection_decide, repair_decide,
)
from .public import public_restrictions, public_violations
from .restrictions import key_targets, restriction_detail, restriction_lift, restriction_list, restriction_new
from .queues import objection_queue, repair_queue
from .subject import my_cases, my_objection, my_repair

__all__ = [
    "case_detail", "case_escalate", "case_grade", "case_list", "case_new", "case_not_rectified",
    "case_order_rectification", "case_rectified", "case_revoke", "objection_decide", "repair_decide",
    "public_restrictions", "public_violations", "key_targets", "restriction_detail", "restriction_lift",
    "restriction_list", "restriction_new", "objection_queue", "repair_queue", "my_cases", "my_objection",
    "my_repair",
]
