"""The planning instance of a programme's current data (docs/timetable-format.md).

Ids in the instance carry the database key with a letter: schools `s12`, rooms `r40`, teachers
`t7`, pupils `p1031`, lesson groups `g88`, ensembles `e5`, sectionals of school orchestras
`x3`. Neighbourhood orchestras and other ensembles with a fixed day and time away from a school
become a *venue* (`v5`, with one room `v5-room`) and a locked lesson: the planner plans around
them.
"""

from collections import defaultdict
from datetime import time

from leerorkest.programme.models import Ensemble, EnsembleKind, LessonGroup, Sectional, Teacher
from leerorkest.programme.models.ensembles import EnsembleMember
from leerorkest.schools.models import Room, SchoolParticipation

from . import instance as model
from .models import PlannedLesson, Timetable, TravelOverride

DAYS = ("mon", "tue", "wed", "thu", "fri")
# Where a school without a known location is assumed to be: the middle of Amsterdam.
DEFAULT_LOCATION = (52.3728, 4.8936)
ORCHESTRA_MINUTES = 45
DEFAULT_WEEK_HOURS = 40


def minute(value: time) -> int:
    return value.hour * 60 + value.minute


def clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    if not points:
        return DEFAULT_LOCATION
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def room_feature_of(instrument) -> str | None:
    if instrument.needs_harp_room:
        return "harp"
    if instrument.needs_percussion_room:
        return "percussion"
    return None


def room_features(room: Room) -> tuple[str, ...]:
    features = []
    if room.fits_harp:
        features.append("harp")
    if room.fits_percussion:
        features.append("percussion")
    return tuple(features)


def build_instance(programme, year, *, locked=(), published=()) -> model.Instance:
    """The instance of `programme` in `year`; `locked` and `published` are Assignments."""
    participations = list(
        SchoolParticipation.objects.filter(school__organisation__parent=programme, school_year=year)
        .select_related("school__organisation")
        .order_by("school__organisation__name")
    )
    known = [
        (p.school.latitude, p.school.longitude)
        for p in participations
        if p.school.latitude is not None and p.school.longitude is not None
    ]
    centre = _centre(known)
    schools, school_ids = [], set()
    for p in participations:
        school = p.school
        lat, lon = (
            (school.latitude, school.longitude)
            if school.latitude is not None and school.longitude is not None
            else centre
        )
        day = DAYS[p.music_day]
        schools.append(
            model.School(
                id=f"s{school.pk}",
                name=school.organisation.name,
                lat=lat,
                lon=lon,
                music_days=(day,),
                windows={day: (minute(p.day_starts_at), minute(p.day_ends_at))},
            )
        )
        school_ids.add(school.pk)
    rooms = [
        model.Room(
            id=f"r{room.pk}",
            school=f"s{room.school_id}",
            capacity=room.capacity,
            features=room_features(room),
        )
        for room in Room.objects.filter(school_id__in=school_ids, is_active=True).order_by("pk")
    ]

    teachers = list(
        Teacher.objects.filter(organisation=programme, is_active=True)
        .prefetch_related("instruments", "availability")
        .order_by("pk")
    )
    availability: dict[int, dict[str, list]] = {}
    for teacher in teachers:
        days: dict[str, list] = defaultdict(list)
        for slot in teacher.availability.all():
            if slot.weekday < len(DAYS):
                days[DAYS[slot.weekday]].append((minute(slot.starts_at), minute(slot.ends_at)))
        availability[teacher.pk] = days

    # Only the active teachers are in the instance: a lesson's former teacher who left is no
    # longer its preferred one, and published or locked places with them are let go.
    teacher_ids = {t.pk for t in teachers}

    def preferred(teacher_id):
        return f"t{teacher_id}" if teacher_id in teacher_ids else None

    lessons: list[model.Lesson] = []
    fixed: list[model.Assignment] = []
    groups = (
        LessonGroup.objects.filter(school_year=year, school_id__in=school_ids)
        .select_related("instrument")
        .prefetch_related("members")
        .order_by("school_id", "year_group", "instrument__sort_order", "name")
    )
    for group in groups:
        pupils = tuple(f"p{m.pupil_id}" for m in group.members.all())
        if not pupils:
            continue  # an empty group has no lesson to plan
        instrument = group.instrument
        feature = room_feature_of(instrument)
        lessons.append(
            model.Lesson(
                id=f"g{group.pk}",
                school=f"s{group.school_id}",
                kind="lesson",
                instrument=instrument.code,
                duration=group.lesson_minutes,
                group_size=len(pupils),
                pupils=pupils,
                room_feature=feature,
                preferred_teacher=preferred(group.teacher_id),
            )
        )

    members: dict[int, list[str]] = defaultdict(list)
    plays: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for ensemble_id, pupil_id, instrument_id in EnsembleMember.objects.filter(
        ensemble__organisation=programme,
        ensemble__school_year=year,
        status=EnsembleMember.Status.ACTIVE,
    ).values_list("ensemble_id", "pupil_id", "instrument_id"):
        members[ensemble_id].append(f"p{pupil_id}")
        plays[ensemble_id].append((instrument_id, f"p{pupil_id}"))
    venues = []
    ensembles = Ensemble.objects.filter(organisation=programme, school_year=year).order_by("pk")
    for ensemble in ensembles:
        pupils = tuple(members.get(ensemble.pk, ()))
        if ensemble.kind == EnsembleKind.SCHOOL_ORCHESTRA and ensemble.school_id in school_ids:
            if not pupils:
                continue
            lessons.append(
                model.Lesson(
                    id=f"e{ensemble.pk}",
                    school=f"s{ensemble.school_id}",
                    kind="orchestra",
                    instrument=None,
                    duration=ORCHESTRA_MINUTES,
                    group_size=len(pupils),
                    pupils=pupils,
                    preferred_teacher=preferred(ensemble.conductor_id),
                )
            )
        elif (
            ensemble.weekday is not None
            and ensemble.weekday < len(DAYS)
            and ensemble.starts_at
            and ensemble.ends_at
            and ensemble.conductor_id in teacher_ids
        ):
            # A fixed rehearsal away from the schools: planned around, never moved.
            day = DAYS[ensemble.weekday]
            start, end = minute(ensemble.starts_at), minute(ensemble.ends_at)
            venue = f"v{ensemble.pk}"
            venues.append(
                model.School(
                    id=venue,
                    name=ensemble.venue or ensemble.name,
                    lat=centre[0],
                    lon=centre[1],
                    music_days=(day,),
                    windows={day: (start, end)},
                )
            )
            rooms.append(
                model.Room(
                    id=f"{venue}-room", school=venue, capacity=max(len(pupils), 1), features=()
                )
            )
            lessons.append(
                model.Lesson(
                    id=f"e{ensemble.pk}",
                    school=venue,
                    kind="orchestra",
                    instrument=None,
                    duration=end - start,
                    group_size=max(len(pupils), 1),
                    pupils=pupils,
                    preferred_teacher=f"t{ensemble.conductor_id}",
                )
            )
            fixed.append(
                model.Assignment(
                    lesson=f"e{ensemble.pk}",
                    teacher=f"t{ensemble.conductor_id}",
                    room=f"{venue}-room",
                    day=day,
                    start=start,
                )
            )
            # The conductor agreed to this rehearsal: it is part of their availability.
            availability[ensemble.conductor_id][day].append((start, end))

    sectionals = (
        Sectional.objects.filter(
            ensemble__organisation=programme,
            ensemble__school_year=year,
            ensemble__kind=EnsembleKind.SCHOOL_ORCHESTRA,
            ensemble__school_id__in=school_ids,
        )
        .select_related("ensemble", "led_by")
        .prefetch_related("instruments")
        .order_by("ensemble_id", "pk")
    )
    for sectional in sectionals:
        wanted = {i.pk for i in sectional.instruments.all()}
        pupils = tuple(p for i, p in plays.get(sectional.ensemble_id, ()) if i in wanted)
        if not pupils:
            continue  # nobody in the orchestra plays these instruments (yet)
        lessons.append(
            model.Lesson(
                id=f"x{sectional.pk}",
                school=f"s{sectional.ensemble.school_id}",
                kind="sectional",
                instrument=sectional.led_by.code,
                duration=sectional.minutes,
                group_size=len(pupils),
                pupils=pupils,
                room_feature=room_feature_of(sectional.led_by),
            )
        )

    conductors = {a.teacher for a in fixed}
    instance_teachers = []
    for teacher in teachers:
        week_hours = teacher.max_hours_week or teacher.contracted_hours or DEFAULT_WEEK_HOURS
        instance_teachers.append(
            model.Teacher(
                id=f"t{teacher.pk}",
                name=teacher.full_name,
                instruments=tuple(sorted(i.code for i in teacher.instruments.all())),
                conductor=teacher.is_conductor or f"t{teacher.pk}" in conductors,
                availability={
                    day: tuple(sorted(_merge(windows)))
                    for day, windows in availability[teacher.pk].items()
                },
                max_minutes_day=int(teacher.max_hours_day * 60),
                max_minutes_week=int(week_hours * 60),
                min_paid_minutes_visit=teacher.min_paid_minutes_visit,
                travel=teacher.travel_mode,
            )
        )
    travel = {
        (f"s{o.from_school_id}", f"s{o.to_school_id}"): o.minutes
        for o in TravelOverride.objects.filter(
            organisation=programme,
            from_school_id__in=school_ids,
            to_school_id__in=school_ids,
        )
    }
    lesson_ids = {lesson.id for lesson in lessons}
    present = {f"t{pk}" for pk in teacher_ids}
    locked_by_lesson = {a.lesson: a for a in fixed}
    for assignment in locked:
        if assignment.lesson in lesson_ids and assignment.teacher in present:
            locked_by_lesson.setdefault(assignment.lesson, assignment)
    inst = model.Instance(
        name=f"{programme.name} {year}",
        days=DAYS,
        schools=tuple(schools + venues),
        rooms=tuple(rooms),
        teachers=tuple(instance_teachers),
        lessons=tuple(lessons),
        travel=travel,
        locked=tuple(locked_by_lesson.values()),
        published=tuple(a for a in published if a.lesson in lesson_ids and a.teacher in present),
    )
    return inst


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def assignments_of(timetable: Timetable, *, only_locked: bool = False) -> list[model.Assignment]:
    """The placed lessons of a timetable as instance assignments."""
    rows = PlannedLesson.objects.filter(timetable=timetable, teacher__isnull=False).exclude(
        starts_at=None
    )
    if only_locked:
        rows = rows.filter(locked=True)
    return [
        model.Assignment(
            lesson=row.key,
            teacher=f"t{row.teacher_id}",
            room=f"r{row.room_id}" if row.room_id else f"v{row.ensemble_id}-room",
            day=DAYS[row.weekday],
            start=minute(row.starts_at),
        )
        for row in rows
    ]
