"""The Amsterdam programme's timetable: planned by the solver, published from the first school
day, and a term of registers up to yesterday (a few left untaken, as in real life)."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from leerorkest.accounts.models import User
from leerorkest.accounts.roles import Role
from leerorkest.programme.models import LessonGroupMember, Sectional, Teacher
from leerorkest.programme.models.ensembles import EnsembleMember
from leerorkest.schools.models import School, SchoolParticipation
from leerorkest.timetable import actions, cover, dates, greedy, solver, validator
from leerorkest.timetable.models import (
    AttendanceMark,
    LessonDate,
    SchoolCancellation,
    TeacherAbsence,
    Timetable,
)

# Seconds the planner may use for the demo. It starts from the greedy week (complete for the
# demo's data) and improves it; the validator must find no broken rule.
SOLVE_SECONDS = 15
STATUSES = (
    (AttendanceMark.Status.PRESENT, 0.88),
    (AttendanceMark.Status.ABSENT, 0.05),
    (AttendanceMark.Status.LATE, 0.04),
    (AttendanceMark.Status.EXCUSED, 0.03),
)


def _coordinator(programme) -> User:
    return (
        User.objects.filter(memberships__organisation=programme, memberships__role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )


def step_timetable(demo) -> None:
    # The week the solver finds within its time varies, and with it how many random draws the
    # registers take: the step draws from its own generator, so the steps after it (which make
    # people, with names) stay deterministic.
    parent = demo.rng
    demo.rng = random.Random(parent.getrandbits(64))
    try:
        _plan_and_publish(demo)
    finally:
        demo.rng = parent


def _plan_and_publish(demo) -> None:
    programme = demo.organisations["programme"]
    year = demo.years[0]
    coordinator = _coordinator(programme)
    timetable = actions.create_timetable(
        programme=programme, year=year, by=coordinator, time_limit=60
    )
    inst = actions.instance_of(timetable)
    start = greedy.solve_greedy(inst)
    if start.stats["placed"] < len(inst.lessons):
        # Some lessons left out: more "squeaky wheel" passes cost a fraction of a second each
        # and usually place them, so the planner starts from a complete week.
        more = greedy.solve_greedy(inst, passes=40)
        if more.stats["placed"] > start.stats["placed"]:
            start = more
    result = solver.solve(
        inst,
        time_limit=SOLVE_SECONDS,
        threads=1,
        seed=demo.rng.randint(1, 10_000),
        hint=start,
    )
    if result.solution is None and not validator.check(inst, start).hard_total:
        # A machine too busy to finish within the time: the greedy week is already valid.
        result.solution = start
    if result.solution is None:
        # The greedy week was incomplete and the short search found none yet: search longer.
        result = solver.solve(inst, time_limit=60, threads=1, seed=1, hint=start)
    if result.solution is None:
        raise RuntimeError("The demo timetable has no solution: " + "; ".join(result.explanation))
    actions.apply_solution(timetable, result.solution)
    timetable.status = Timetable.Status.READY
    timetable.finished_at = timezone.now()
    timetable.result = {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "seconds": round(result.wall_seconds, 1),
        "first_feasible_seconds": result.first_feasible_seconds,
        "explanation": [],
    }
    timetable.save()
    report = actions.store_report(timetable)
    if report.hard_total:
        raise RuntimeError(f"The demo timetable breaks {report.hard_total} rules: {report.hard}")
    first_day = year.first_school_day("noord") or year.starts_on
    actions.publish(timetable, by=coordinator, since=first_day, notify=False)
    _cancellations_and_absences(demo, programme, coordinator)
    _registers(demo, programme)


def _cancellations_and_absences(demo, programme, coordinator) -> None:
    """A school trip three weeks ago and a study day to come; a teacher who was ill last week
    (covered where a substitute was free, cancelled elsewhere) and one ill next week whose
    lessons still need cover. Written directly: the demo sends no e-mail."""
    today = timezone.localdate()
    schools = list(School.objects.filter(organisation__parent=programme).order_by("pk"))
    participation = {
        p.school_id: p
        for p in SchoolParticipation.objects.filter(school__in=schools, school_year=demo.years[0])
    }

    def music_day(school, weeks: int):
        day = today + timedelta(weeks=weeks)
        return day + timedelta(days=participation[school.pk].music_day - day.weekday())

    for school, weeks, reason, note in (
        (schools[2], -3, SchoolCancellation.Reason.TRIP, "Schoolreisje naar Artis"),
        (schools[3], 3, SchoolCancellation.Reason.STUDY_DAY, "Studiedag team"),
    ):
        day = music_day(school, weeks)
        cancellation = SchoolCancellation.objects.create(
            school=school,
            starts_on=day,
            ends_on=day,
            reason=reason,
            note=note,
            recorded_by=coordinator,
        )
        dates.apply_school_cancellation(cancellation)

    busy = (
        LessonDate.objects.filter(organisation=programme, date__gte=today - timedelta(days=7))
        .exclude(teacher__user__email__startswith="docent@")
        .values_list("teacher_id", flat=True)
        .order_by("teacher_id")
        .distinct()
    )
    ill_last_week, ill_next_week = Teacher.objects.filter(pk__in=list(busy[:2]))
    monday = today - timedelta(days=today.weekday())
    for teacher, start in (
        (ill_last_week, monday - timedelta(days=7)),
        (ill_next_week, monday + timedelta(days=7)),
    ):
        absence = TeacherAbsence.objects.create(
            teacher=teacher,
            starts_on=start,
            ends_on=start + timedelta(days=4),
            reason=TeacherAbsence.Reason.ILL,
            reported_by=coordinator,
        )
        dates.link_absence(absence)
    # Last week: the best substitute took over where one was free; the rest was cancelled.
    past = list(
        cover.needing_cover(programme, since=monday - timedelta(days=7)).filter(date__lt=today)
    )
    ranked = cover.rank_many(past)
    for lesson_date in past:
        candidates = ranked.get(lesson_date.pk) or []
        if candidates:
            lesson_date.teacher = candidates[0].teacher
            lesson_date.is_cover = True
            lesson_date.cover_confirmed_by = coordinator
        else:
            lesson_date.status = LessonDate.Status.CANCELLED
            lesson_date.cancelled_by = LessonDate.CancelledBy.TEACHER
            lesson_date.cancel_reason = "Docent ziek, geen invaller"
        lesson_date.save()


def _registers(demo, programme) -> None:
    """Registers for every lesson before today; one in forty left untaken."""
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    members: dict[tuple[str, int], list[int]] = {}
    for group_id, pupil_id in LessonGroupMember.objects.filter(
        group__organisation=programme
    ).values_list("group_id", "pupil_id"):
        members.setdefault(("g", group_id), []).append(pupil_id)
    for ensemble_id, pupil_id in EnsembleMember.objects.filter(
        ensemble__organisation=programme, status=EnsembleMember.Status.ACTIVE
    ).values_list("ensemble_id", "pupil_id"):
        members.setdefault(("e", ensemble_id), []).append(pupil_id)
    for sectional in Sectional.objects.filter(ensemble__organisation=programme):
        members[("x", sectional.pk)] = list(sectional.players().values_list("pupil_id", flat=True))
    user_of = dict(programme.teachers.exclude(user=None).values_list("pk", "user_id"))
    coordinator = _coordinator(programme)
    past = list(
        LessonDate.objects.filter(
            organisation=programme, date__lt=today, status=LessonDate.Status.PLANNED
        )
        .select_related("planned")
        .order_by("date", "starts_at", "pk")
    )
    statuses = [s for s, _w in STATUSES]
    weights = [w for _s, w in STATUSES]
    marks, taken = [], []
    for lesson_date in past:
        if demo.rng.random() < 0.025:
            continue  # the register was never taken
        planned = lesson_date.planned
        key = (
            ("g", planned.lesson_group_id)
            if planned.lesson_group_id
            else ("x", planned.sectional_id)
            if planned.sectional_id
            else ("e", planned.ensemble_id)
        )
        by = user_of.get(lesson_date.teacher_id) or coordinator.pk
        moment = datetime.combine(lesson_date.date, lesson_date.starts_at, tzinfo=zone) + timedelta(
            minutes=lesson_date.minutes
        )
        for pupil_id in members.get(key, []):
            marks.append(
                AttendanceMark(
                    lesson_date=lesson_date,
                    pupil_id=pupil_id,
                    status=demo.rng.choices(statuses, weights)[0],
                    marked_by_id=by,
                    marked_at=moment,
                )
            )
        lesson_date.status = LessonDate.Status.GIVEN
        lesson_date.register_taken_at = moment
        lesson_date.register_taken_by_id = by
        taken.append(lesson_date)
    # Put back the dated lessons with their registers taken: much faster than bulk_update.
    ids = [lesson_date.pk for lesson_date in taken]
    for start in range(0, len(ids), 5000):
        LessonDate.objects.filter(pk__in=ids[start : start + 5000]).delete()
    LessonDate.objects.bulk_create(taken, batch_size=2000)
    AttendanceMark.objects.bulk_create(marks, batch_size=5000)
