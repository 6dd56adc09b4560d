"""Planning a timetable outside any request: `start_solve` hands it to the task worker
(`leerorkest db_worker`), or, where tasks run immediately (the demo), to a thread of its own, so
the coordinator's page can show the progress and the best timetable so far."""

import threading
import time as clock_time

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit

from . import export, solver
from .actions import (
    apply_solution,
    create_rows,
    instance_of,
    published_timetable,
    solution_of,
    store_report,
)
from .instance import Instance
from .models import PlannedLesson, Timetable

PROGRESS_EVERY_SECONDS = 2.0


@transaction.atomic
def queue_solve(timetable: Timetable, *, by) -> None:
    """Mark the timetable as being planned; locked lessons stay, everything else may move."""
    timetable = Timetable.objects.select_for_update().get(pk=timetable.pk)
    if timetable.status not in (
        Timetable.Status.DRAFT,
        Timetable.Status.READY,
        Timetable.Status.FAILED,
    ):
        raise DomainError(_("Only a draft timetable can be planned."))
    # Fresh data, with this timetable's locked lessons and the published week to stay close to.
    current = published_timetable(timetable.organisation, timetable.school_year)
    inst = export.build_instance(
        timetable.organisation,
        timetable.school_year,
        locked=export.assignments_of(timetable, only_locked=True),
        published=export.assignments_of(current) if current else [],
    )
    old = {row.key for row in PlannedLesson.objects.filter(timetable=timetable)}
    new = {lesson.id for lesson in inst.lessons}
    PlannedLesson.objects.filter(timetable=timetable, key__in=old - new).delete()
    if new - old:
        create_rows(
            timetable,
            Instance(
                days=inst.days,
                schools=inst.schools,
                rooms=inst.rooms,
                teachers=inst.teachers,
                lessons=tuple(lesson for lesson in inst.lessons if lesson.id in new - old),
                locked=inst.locked,
            ),
        )
    timetable.instance = inst.to_json()
    timetable.status = Timetable.Status.SOLVING
    timetable.progress = []
    timetable.result = {}
    timetable.started_at = timezone.now()
    timetable.finished_at = None
    timetable.save()
    audit(
        actor=by,
        action="timetable.solve",
        obj=timetable,
        organisation=timetable.organisation_id,
        seconds=timetable.time_limit,
    )


def start_solve(timetable: Timetable, *, by) -> None:
    """Queue the timetable and start planning it in the background after the commit."""
    queue_solve(timetable, by=by)
    pk = timetable.pk
    if settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):

        def run():
            try:
                run_solve(pk)
            finally:
                close_old_connections()

        transaction.on_commit(lambda: threading.Thread(target=run, daemon=True).start())
    else:
        from .tasks import solve_timetable

        transaction.on_commit(lambda: solve_timetable.enqueue(pk))


def run_solve(pk: int, *, threads: int | None = None) -> Timetable:
    """Plan a queued timetable: progress and the best week so far are saved as they come."""
    timetable = Timetable.objects.get(pk=pk)
    if timetable.status != Timetable.Status.SOLVING:
        return timetable
    inst = instance_of(timetable)
    hint = solution_of(timetable) if timetable.based_on_id else None
    progress: list = []
    last_save = [0.0]

    def on_progress(seconds, objective, bound):
        progress.append([round(seconds, 1), objective, bound])
        Timetable.objects.filter(pk=pk).update(progress=progress)

    def on_solution(solution):
        now = clock_time.monotonic()
        if now - last_save[0] < PROGRESS_EVERY_SECONDS:
            return
        last_save[0] = now
        with transaction.atomic():
            apply_solution(timetable, solution)

    try:
        result = solver.solve(
            inst,
            time_limit=timetable.time_limit,
            threads=threads or settings.TIMETABLE_THREADS,
            on_progress=on_progress,
            hint=hint,
            on_solution=on_solution,
        )
    except Exception as exc:  # the page must not spin forever
        Timetable.objects.filter(pk=pk).update(
            status=Timetable.Status.FAILED,
            finished_at=timezone.now(),
            result={"status": "ERROR", "explanation": [str(exc)]},
        )
        raise
    with transaction.atomic():
        timetable = Timetable.objects.select_for_update().get(pk=pk)
        if result.solution is not None:
            apply_solution(timetable, result.solution)
        timetable.status = (
            Timetable.Status.READY if result.solution is not None else Timetable.Status.FAILED
        )
        timetable.finished_at = timezone.now()
        timetable.progress = progress
        timetable.result = {
            "status": result.status,
            "objective": result.objective,
            "bound": result.bound,
            "seconds": round(result.wall_seconds, 1),
            "first_feasible_seconds": result.first_feasible_seconds,
            "explanation": result.explanation,
        }
        timetable.save()
        if result.solution is not None:
            store_report(timetable)
    return timetable


def progress_percent(timetable: Timetable) -> int:
    if timetable.status != Timetable.Status.SOLVING or not timetable.started_at:
        return 100 if timetable.finished_at else 0
    elapsed = (timezone.now() - timetable.started_at).total_seconds()
    return max(1, min(99, int(100 * elapsed / max(timetable.time_limit, 1))))
