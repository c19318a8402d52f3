from celery import shared_task


@shared_task
def credit_nightly() -> dict:
    """Beat, nightly (CREDIT_NIGHTLY_HOUR): every subject's score under the model in use."""
    from .services import nightly_run

    run = nightly_run()
    return {"scores": run.scores, "entries_added": run.entries_added, "seconds": round(run.seconds, 1)} if run else {}


@shared_task
def credit_recalculate(subject_ids: list[int]) -> int:
    from .services import recalculate

    return len(recalculate(subject_ids))
