"""Tasks the outbox tests send (also loaded by the fault tests' own worker with `-I`)."""

from outbox import outbox_task

RUNS: list = []


@outbox_task
def record_run(label: str) -> str:
    """Counts its runs in-process (RUNS)."""
    RUNS.append(label)
    return label


@outbox_task(max_retries=2)
def always_fails(label: str) -> None:
    RUNS.append(label)
    raise RuntimeError(f"cannot do {label}")
