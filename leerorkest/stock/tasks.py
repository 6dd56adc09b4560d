"""Background task of the inventory import (run by `leerorkest db_worker`)."""

from django_tasks import task

from leerorkest.stock.actions import run_queued_commit


@task()
def commit_import(import_id: int, user_id: int) -> str:
    """Commit a queued inventory import; returns its status afterwards."""
    return run_queued_commit(import_id=import_id, user_id=user_id)
