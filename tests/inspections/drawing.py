"""Running a draw as the product does: draw_run commits; at the commit the outbox sends draw_apply, which puts the
result into effect (in-process in tests, as in the embedded default; a worker with a broker)."""

from django.test import TestCase

from inspections.services import draw_run


def run_draw(*, draw_id: int, by):
    with TestCase.captureOnCommitCallbacks(execute=True):
        draw = draw_run(draw_id=draw_id, by=by)
    draw.refresh_from_db()
    return draw
