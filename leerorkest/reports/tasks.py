"""Background task of the funder packs (run by `leerorkest db_worker`)."""

from django_tasks import task


@task()
def build_funder_pack(pack_id: int) -> str:
    """Build a queued funder pack; returns its status afterwards."""
    from leerorkest.reports.packs import run_pack

    return run_pack(pack_id)
