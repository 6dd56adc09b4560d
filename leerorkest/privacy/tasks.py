"""Background tasks of the privacy app (run by `leerorkest db_worker`)."""

from django_tasks import task

from leerorkest.privacy.actions import apply_retention


@task()
def retention() -> int:
    """Pseudonymise the pupils past the retention period (target P3); returns how many.

    Schedule it daily (cron or a systemd timer running `leerorkest retention`, or enqueue this
    task); running it twice changes nothing the second time.
    """
    return apply_retention().count
