"""Background tasks of the depot (run by `leerorkest db_worker`)."""

from django_tasks import task

from leerorkest.depot.reminders import send_reminders as send_due_reminders


@task()
def send_reminders() -> dict:
    """Send the staged reminder digests due today (one per programme). Schedule it daily (cron
    or a systemd timer running `leerorkest send_reminders`, or enqueue this task); a second run
    the same day sends nothing."""
    return send_due_reminders()
