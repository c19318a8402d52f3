"""Inspections services: the public entry points (import from here)."""

from .draws import draw_apply, draw_define, draw_run, draw_verify, draws_apply_pending, inspectors, recusal_declare
from .obligations import obligation_create, obligations_sweep_overdue
from .records import record_correct, record_item, record_open, record_photo, record_sign

__all__ = [
    "draw_apply", "draw_define", "draw_run", "draws_apply_pending", "draw_verify", "inspectors", "recusal_declare", "obligation_create",
    "obligations_sweep_overdue", "record_correct", "record_item", "record_open", "record_photo", "record_sign",
]
