"""Ports of inspections: sanctions (a higher app) registers here to act on a non-compliant check."""

from collections.abc import Callable
from typing import Any

# called as handler(record=…, failed_items=[ItemCheck], by=user) in the sign-off's transaction
noncompliance_handlers: list[Callable[..., Any]] = []

# called as handler(obligation=…, record=…, by=user) in the sign-off's transaction, compliant or not, after
# the noncompliance handlers (credit: a verification passed is a commitment kept)
obligation_concluded_handlers: list[Callable[..., Any]] = []

# called as handler(draw=…, seconds=…) when a run draw's assignments are all written, in the transaction of the chunk
# that writes the last (a weighted draw's not-drawn marks may follow); seconds: from the start of the run (ops measures
# draw durations; notifications tell the inspectors)
draw_completed: list[Callable[..., Any]] = []
