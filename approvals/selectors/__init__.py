from .credit import credit_facts, current_grade, dishonest_entries
from .visibility import applications_visible_to, can_see_full_numbers, subjects_acting_for, subjects_visible_to

__all__ = [
    "credit_facts", "current_grade", "dishonest_entries", "applications_visible_to", "can_see_full_numbers",
    "subjects_acting_for", "subjects_visible_to",
]
