"""Violations, the restriction list, objections, credit repair, their public lists and the credit-platform
feed over REST, in the approvals API's manner (errors, Idempotency-Key, schema)."""
