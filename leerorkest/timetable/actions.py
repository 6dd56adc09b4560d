"""Changes to timetables: create, solve, move, lock, publish. Each runs in one transaction.

Solving runs outside any request: `start_solve` hands the timetable to the task worker
(`leerorkest db_worker`), or, where tasks run immediately (the demo), to a thread of its own,
so the coordinator's page can show the progress and the best timetable so far.
"""

import threading
import time as clock_time
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.models import Ensemble, LessonGroup
from leerorkest.schools.models import Room

from . import dates, export, solver, validator
from .instance import Instance, Solution
from .models import PlannedLesson, Timetable

PROGRESS_EVERY_SECONDS = 2.0


def _titles(programme, year) -> dict[str, tuple]:
    """Key -> (kind, lesson group id, ensemble id, school id, venue, title)."""
    titles = {}
    for group in LessonGroup.objects.filter(
        school_year=year, school__organisation__parent=programme
    ).select_related("school__organisation"):
        titles[f"g{group.pk}"] = (
            PlannedLesson.Kind.LESSON,
            group.pk,
            None,
            group.school_id,
            "",
            group.name,
        )
    for ensemble in Ensemble.objects.filter(organisation=programme, school_year=year):
        kind = (
            PlannedLesson.Kind.ORCHESTRA if ensemble.school_id else PlannedLesson.Kind.NEIGHBOURHOOD
        )
        titles[f"e{ensemble.pk}"] = (
            kind,
            None,
            ensemble.pk,
            ensemble.school_id,
            "" if ensemble.school_id else (ensemble.venue or ensemble.name),
            ensemble.name,
        )
    return titles


def published_timetable(programme, year) -> Timetable | None:
    return Timetable.objects.filter(
        organisation=programme, school_year=year, status=Timetable.Status.PUBLISHED
    ).first()


@transaction.atomic
def create_timetable(*, programme, year, by, time_limit: int = 60, name: str = "") -> Timetable:
    """A new draft from the current data, re-planning the published timetable if there is one."""
    if not 5 <= time_limit <= 900:
        raise DomainError(_("Give a planning time between 5 and 900 seconds."))
    current = published_timetable(programme, year)
    published = export.assignments_of(current) if current else []
    inst = export.build_instance(programme, year, published=published)
    if not inst.lessons:
        raise DomainError(
            _("There is nothing to plan: no lesson groups or orchestras with pupils this year.")
        )
    number = Timetable.objects.filter(organisation=programme, school_year=year).count() + 1
    timetable = Timetable.objects.create(
        organisation=programme,
        school_year=year,
        name=name or _("Timetable %(year)s, version %(number)s") % {"year": year, "number": number},
        based_on=current,
        created_by=by,
        time_limit=time_limit,
        instance=inst.to_json(),
    )
    _create_rows(timetable, inst)
    if current:
        # Start from the published week: a re-plan that changes nothing is a valid answer.
        apply_solution(timetable, Solution(tuple(published)))
    audit(
        actor=by,
        action="timetable.create",
        obj=timetable,
        organisation=timetable.organisation_id,
        lessons=len(inst.lessons),
    )
    return timetable


def _create_rows(timetable: Timetable, inst: Instance) -> None:
    titles = _titles(timetable.organisation, timetable.school_year)
    rows = []
    for lesson in inst.lessons:
        kind, group_id, ensemble_id, school_id, venue, title = titles[lesson.id]
        rows.append(
            PlannedLesson(
                timetable=timetable,
                key=lesson.id,
                kind=kind,
                lesson_group_id=group_id,
                ensemble_id=ensemble_id,
                school_id=school_id,
                venue=venue,
                title=title,
                minutes=lesson.duration,
                locked=any(a.lesson == lesson.id for a in inst.locked),
            )
        )
    PlannedLesson.objects.bulk_create(rows)


def apply_solution(timetable: Timetable, solution: Solution) -> None:
    """Write a solution into the timetable's rows (unplaced lessons become empty)."""
    by_key = {a.lesson: a for a in solution.assignments}
    rows = list(PlannedLesson.objects.filter(timetable=timetable))
    for row in rows:
        a = by_key.get(row.key)
        if a is None:
            row.teacher_id = row.room_id = row.weekday = row.starts_at = None
            continue
        row.teacher_id = int(a.teacher[1:])
        row.room_id = int(a.room[1:]) if a.room.startswith("r") else None
        row.weekday = export.DAYS.index(a.day)
        row.starts_at = export.clock(a.start)
    PlannedLesson.objects.bulk_update(rows, ["teacher", "room", "weekday", "starts_at"])


def instance_of(timetable: Timetable) -> Instance:
    return Instance.from_json(timetable.instance)


def solution_of(timetable: Timetable) -> Solution:
    return Solution(tuple(export.assignments_of(timetable)))


def check(timetable: Timetable) -> validator.Report:
    return validator.check(instance_of(timetable), solution_of(timetable))


def store_report(timetable: Timetable) -> validator.Report:
    report = check(timetable)
    timetable.result = {**timetable.result, "report": report.to_dict()}
    Timetable.objects.filter(pk=timetable.pk).update(result=timetable.result)
    return report


@transaction.atomic
def copy_timetable(source: Timetable, *, by) -> Timetable:
    """A new version with the same lessons, places and locks, to change by hand or re-plan."""
    programme, year = source.organisation, source.school_year
    current = published_timetable(programme, year)
    inst = export.build_instance(
        programme,
        year,
        locked=export.assignments_of(source, only_locked=True),
        published=export.assignments_of(current) if current else [],
    )
    number = Timetable.objects.filter(organisation=programme, school_year=year).count() + 1
    copy = Timetable.objects.create(
        organisation=programme,
        school_year=year,
        name=_("Timetable %(year)s, version %(number)s") % {"year": year, "number": number},
        status=Timetable.Status.READY,
        based_on=current,
        created_by=by,
        time_limit=source.time_limit,
        instance=inst.to_json(),
    )
    _create_rows(copy, inst)
    apply_solution(copy, solution_of(source))
    locked = set(
        PlannedLesson.objects.filter(timetable=source, locked=True).values_list("key", flat=True)
    )
    PlannedLesson.objects.filter(timetable=copy, key__in=locked).update(locked=True)
    store_report(copy)
    audit(actor=by, action="timetable.copy", obj=copy, source=source.pk)
    return copy


# --- Solving ----------------------------------------------------------------------------


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
        _create_rows(
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

    kwargs = {}
    if "on_solution" in solver.solve.__code__.co_varnames:
        kwargs["on_solution"] = on_solution
    try:
        result = solver.solve(
            inst,
            time_limit=timetable.time_limit,
            threads=threads or settings.TIMETABLE_THREADS,
            on_progress=on_progress,
            hint=hint,
            **kwargs,
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


# --- Editing -----------------------------------------------------------------------------


def _editable(timetable: Timetable) -> None:
    if not timetable.is_editable:
        raise DomainError(
            _("This timetable can no longer be changed; make a new version to re-plan.")
        )


@transaction.atomic
def move_lesson(lesson: PlannedLesson, *, by, weekday: int, starts_at, teacher=None, room=None):
    """Put a lesson elsewhere by hand; it is locked so a re-solve keeps it. Returns the new
    hard violations the move causes (empty when it breaks no rule)."""
    timetable = Timetable.objects.select_for_update().get(pk=lesson.timetable_id)
    _editable(timetable)
    before = check(timetable).hard
    if teacher is not None and teacher.organisation_id != timetable.organisation_id:
        raise DomainError(_("Choose a teacher of the programme."))
    if room is not None and room.school_id != lesson.school_id:
        raise DomainError(_("Choose a room of the lesson's school."))
    if lesson.kind == PlannedLesson.Kind.NEIGHBOURHOOD:
        raise DomainError(_("A neighbourhood orchestra keeps its own day and time."))
    lesson.weekday = weekday
    lesson.starts_at = starts_at
    if teacher is not None:
        lesson.teacher = teacher
    if room is not None:
        lesson.room = room
    elif lesson.room_id is None and lesson.school_id:
        lesson.room = Room.objects.filter(school_id=lesson.school_id, is_active=True).first()
    lesson.locked = True
    lesson.save()
    report = store_report(timetable)
    audit(
        actor=by,
        action="timetable.move",
        obj=timetable,
        organisation=timetable.organisation_id,
        lesson=lesson.key,
        day=weekday,
        start=str(starts_at),
    )
    return [
        message
        for kind, messages in report.examples.items()
        for message in messages
        if report.hard.get(kind, 0) > before.get(kind, 0) and lesson.key in message
    ] or (
        [
            message
            for kind, messages in report.examples.items()
            for message in messages
            if report.hard.get(kind, 0) > before.get(kind, 0)
        ]
    )


@transaction.atomic
def set_locked(lesson: PlannedLesson, *, by, locked: bool) -> None:
    timetable = Timetable.objects.select_for_update().get(pk=lesson.timetable_id)
    _editable(timetable)
    if not lesson.is_placed:
        raise DomainError(_("Only a planned lesson can be locked."))
    lesson.locked = locked
    lesson.save(update_fields=["locked"])


# --- Comparing and publishing ------------------------------------------------------------


def diff(timetable: Timetable, other: Timetable | None) -> list[dict]:
    """What changes for each lesson from `other` (the published timetable) to `timetable`."""
    if other is None:
        return []
    fields = ("teacher_id", "room_id", "weekday", "starts_at")
    old = {
        row.key: row
        for row in PlannedLesson.objects.filter(timetable=other).select_related(
            "teacher", "room", "school__organisation"
        )
    }
    changes = []
    for row in PlannedLesson.objects.filter(timetable=timetable).select_related(
        "teacher", "room", "school__organisation"
    ):
        before = old.pop(row.key, None)
        if before is None:
            changes.append({"kind": "new", "lesson": row, "before": None})
        elif any(getattr(before, f) != getattr(row, f) for f in fields):
            changed = [
                f.removesuffix("_id") for f in fields if getattr(before, f) != getattr(row, f)
            ]
            changes.append({"kind": "changed", "lesson": row, "before": before, "fields": changed})
    for row in old.values():
        changes.append({"kind": "removed", "lesson": None, "before": row})
    return changes


@transaction.atomic
def publish(timetable: Timetable, *, by, since: date | None = None, notify: bool = True) -> int:
    """Publish: the previous timetable is replaced from `since` (today) on, dated lessons are
    made for the rest of the school year and every teacher whose week changed is told."""
    timetable = Timetable.objects.select_for_update().get(pk=timetable.pk)
    if timetable.status != Timetable.Status.READY:
        raise DomainError(_("Only a planned timetable can be published."))
    report = check(timetable)
    if report.hard_total:
        raise DomainError(
            _(
                "The timetable breaks %(count)s hard rules; solve them (or re-plan) before "
                "publishing."
            )
            % {"count": report.hard_total}
        )
    since = since or timezone.localdate()
    current = published_timetable(timetable.organisation, timetable.school_year)
    changes = diff(timetable, current)
    if current:
        dates.retire(current, since)
        current.status = Timetable.Status.SUPERSEDED
        current.save(update_fields=["status"])
    timetable.status = Timetable.Status.PUBLISHED
    timetable.published_at = timezone.now()
    timetable.published_by = by
    timetable.save()
    created = dates.materialise(timetable, since)
    audit(
        actor=by,
        action="timetable.publish",
        obj=timetable,
        organisation=timetable.organisation_id,
        dates=created,
        changes=len(changes),
    )
    if current is None:
        teachers = {row.teacher for row in timetable.lessons.exclude(teacher=None)}
    else:
        teachers = set()
        for change in changes:
            for row in (change["lesson"], change["before"]):
                if row is not None and row.teacher is not None:
                    teachers.add(row.teacher)
    if notify:
        transaction.on_commit(lambda: _tell_teachers(timetable, teachers))
    return created


def _tell_teachers(timetable: Timetable, teachers) -> None:
    from django.urls import reverse

    url = settings.SITE_URL.rstrip("/") + reverse("timetable:my_week")
    for teacher in teachers:
        if not teacher.email:
            continue
        send_mail(
            subject=_("Your timetable has changed"),
            message=_(
                "Hello %(name)s,\n\nThe timetable of %(programme)s has been published. "
                "See your week at %(url)s; your calendar feed follows by itself."
            )
            % {"name": teacher.full_name, "programme": timetable.organisation.name, "url": url},
            from_email=None,
            recipient_list=[teacher.email],
            fail_silently=True,
        )
