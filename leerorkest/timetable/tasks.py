"""Background task of the timetable planner (run by `leerorkest db_worker`)."""

from django_tasks import task


@task()
def solve_timetable(timetable_id: int) -> str:
    """Plan a queued timetable; returns its status afterwards."""
    from leerorkest.timetable.solving import run_solve

    return run_solve(timetable_id).status
