"""Leases on claimed work: what a worker that sends something keeps while it sends.

Reminders (``blocks/reminders.py``) and notifications
(``notifications/delivery.py``) are sent exactly once: a worker claims the
row, sends, and records. A claim is a lease: the live worker renews it while
its send runs (``kept``), and a later look takes over a claim whose lease ran
out (the worker died) and marks the dead worker's task run as failed
(``fail_lost_runs``), since it would otherwise stay "running" for ever.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """What a dead worker's task run is marked failed with."""


@contextmanager
def kept(claim: QuerySet, lease: dt.timedelta, name: str) -> Iterator[None]:
    """Renew a claim every third of its lease while the block inside runs.

    ``claim`` selects this worker's claimed row only (fenced by its attempt
    number, so a worker whose claim was taken over never renews the new
    claimant's); renewing sets its ``claimed_at`` to now. From a thread,
    because the send itself blocks (an SMTP server or a push service may take
    its time); the thread has its own database connection, closed at the end.
    """
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(lease.total_seconds() / 3):
                try:
                    claim.update(claimed_at=timezone.now())
                except Exception:  # a busy or briefly absent database: try again at the next turn
                    log.warning("The claim of %s could not be renewed this time", name, exc_info=True)
        finally:
            connection.close()

    keeper = threading.Thread(target=renew, name=f"{name}-lease", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()


def fail_lost_runs(task, args: list, cutoff: dt.datetime, why: str) -> None:
    """Mark the runs of ``task`` with ``args`` left "running" since before ``cutoff`` as failed, saying why.

    Only the database backend keeps runs where this can see them; another
    backend (RQ) keeps its own books, and django_tasks_db may not even be
    installed then."""
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task.get_backend(), DatabaseBackend):
        return
    from django_tasks_db.models import DBTaskResult

    lost = DBTaskResult.objects.filter(status="RUNNING", task_path=task.module_path, started_at__lt=cutoff)
    for run in lost:
        if run.args_kwargs.get("args") == args:
            run.set_failed(WorkerLost(why))
