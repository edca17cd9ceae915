"""Background work of the privacy app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.tasks import task

from tandem.privacy import retention


@task()
def purge_due() -> dict[str, int]:
    """Carry out the break-up and retention deadlines that have passed.

    Tasks have no scheduler here: enqueue this from a timer, or run
    ``manage.py purge_expired`` from cron; both do the same, idempotently.
    """
    return retention.purge_due()
