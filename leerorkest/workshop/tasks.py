"""Background tasks of the workshops (run by `leerorkest db_worker`)."""

from django_tasks import task

from leerorkest.workshop.maintenance import open_due_maintenance


@task()
def maintenance() -> int:
    """Open the work orders the maintenance plans say are due; returns how many.

    Schedule it daily or weekly (cron running `leerorkest maintenance`, or enqueue this task);
    a second run opens nothing for the same instruments.
    """
    return len(open_due_maintenance())
