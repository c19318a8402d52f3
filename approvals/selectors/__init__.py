from .credit import (
    credit_facts, credit_facts_for, current_grade, current_grades, dishonest_entries, model_columns, rows_as_models,
)
from .packages import (
    PackageRow, organisations_acting_for, package_counts, package_refused, package_rows, packages_visible_to,
    persons_by_number,
)
from .visibility import applications_visible_to, can_see_credit_check, can_see_full_numbers, subjects_acting_for, subjects_visible_to

__all__ = [
    "credit_facts", "credit_facts_for", "current_grade", "current_grades", "dishonest_entries", "model_columns",
    "rows_as_models",
    "applications_visible_to", "can_see_credit_check", "can_see_full_numbers",
    "subjects_acting_for", "subjects_visible_to", "PackageRow", "organisations_acting_for", "package_counts",
    "package_refused", "package_rows", "packages_visible_to", "persons_by_number",
]
