from .checks import (
    check_detail, check_list, check_start, item_save, photo_upload, photo_view, record_correct, record_sign,
)
from .draws import draw_detail, draw_list, draw_new, draw_run, draw_verify, overdue, recusals
from .public import public_draw, public_draws

__all__ = [
    "check_detail", "check_list", "check_start", "item_save", "photo_upload", "photo_view", "record_correct",
    "record_sign", "draw_detail", "draw_list", "draw_new", "draw_run", "draw_verify", "overdue", "recusals",
    "public_draw", "public_draws",
]
