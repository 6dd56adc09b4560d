"""The timetable grids: a school's rooms on its music day, a teacher's week or a room's week,
with each lesson placed on rows of five minutes."""

from dataclasses import dataclass
from datetime import time

from leerorkest.schools.models import Room, SchoolParticipation
from leerorkest.schools.models.years import Weekday

from .models import PlannedLesson, Timetable

SLOT = 5  # minutes per grid row


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


@dataclass
class Block:
    lesson: PlannedLesson
    column: int
    row: int
    span: int


@dataclass
class Grid:
    title: str
    columns: list[str]
    start: int  # minute of the first row
    rows: int
    blocks: list[Block]
    hours: list[tuple[int, str]]  # (row, label)


def _grid(title, columns, lessons, column_of, start=None, end=None) -> Grid:
    placed = [row for row in lessons if row.starts_at is not None and column_of(row) is not None]
    first = min([_minute(r.starts_at) for r in placed], default=8 * 60)
    last = max([_minute(r.starts_at) + r.minutes for r in placed], default=16 * 60)
    start = min(start if start is not None else first, first) // 30 * 30
    end = max(end if end is not None else last, last)
    blocks = [
        Block(
            lesson=row,
            column=column_of(row) + 2,
            row=(_minute(row.starts_at) - start) // SLOT + 2,
            span=max(1, row.minutes // SLOT),
        )
        for row in placed
    ]
    hours = [
        ((m - start) // SLOT + 2, f"{m // 60:02d}:{m % 60:02d}") for m in range(start, end, 30)
    ]
    return Grid(title, columns, start, max(1, (end - start) // SLOT), blocks, hours)


def views(timetable: Timetable, request):
    """The grid the coordinator asked for: a school's rooms, a teacher's week or a room's week."""
    lessons = list(
        PlannedLesson.objects.filter(timetable=timetable).select_related(
            "teacher", "room", "school__organisation"
        )
    )
    schools = sorted({r.school for r in lessons if r.school}, key=lambda s: s.organisation.name)
    teachers = sorted({r.teacher for r in lessons if r.teacher}, key=lambda t: t.full_name)
    view = request.GET.get("view", "school")
    grids: list[Grid] = []
    chosen = None
    day_names = [str(label) for _value, label in Weekday.choices]
    if view == "teacher":
        chosen = _pick(teachers, request.GET.get("teacher"))
        if chosen:
            mine = [r for r in lessons if r.teacher_id == chosen.pk]
            grids.append(
                _grid(chosen.full_name, day_names, mine, lambda r: r.weekday, 8 * 60, 16 * 60)
            )
    elif view == "room":
        rooms = Room.objects.filter(school__in=schools, is_active=True).select_related(
            "school__organisation"
        )
        chosen = _pick(list(rooms), request.GET.get("room"))
        if chosen:
            mine = [r for r in lessons if r.room_id == chosen.pk]
            grids.append(
                _grid(
                    f"{chosen.school} · {chosen.name}",
                    day_names,
                    mine,
                    lambda r: r.weekday,
                    8 * 60,
                    16 * 60,
                )
            )
    else:
        view = "school"
        chosen = _pick(schools, request.GET.get("school"))
        if chosen:
            rooms = list(Room.objects.filter(school=chosen, is_active=True).order_by("name"))
            index = {room.pk: i for i, room in enumerate(rooms)}
            mine = [r for r in lessons if r.school_id == chosen.pk]
            by_day: dict[int, list] = {}
            for row in mine:
                if row.weekday is not None:
                    by_day.setdefault(row.weekday, []).append(row)
            participation = SchoolParticipation.objects.filter(
                school=chosen, school_year=timetable.school_year
            ).first()
            window = (
                (_minute(participation.day_starts_at), _minute(participation.day_ends_at))
                if participation
                else (None, None)
            )
            for day, rows in sorted(by_day.items()):
                grids.append(
                    _grid(
                        f"{chosen} · {Weekday(day).label}",
                        [room.name for room in rooms],
                        rows,
                        lambda r: index.get(r.room_id),
                        *window,
                    )
                )
    rooms_all = Room.objects.filter(school__in=schools, is_active=True).select_related(
        "school__organisation"
    )
    return {
        "view": view,
        "chosen": chosen,
        "grids": grids,
        "schools": schools,
        "teachers": teachers,
        "rooms": rooms_all.order_by("school__organisation__name", "name"),
        "unplaced": [r for r in lessons if not r.is_placed],
        "locked_count": sum(1 for r in lessons if r.locked),
        "lesson_count": len(lessons),
    }


def _pick(options, wanted):
    for option in options:
        if str(option.pk) == str(wanted):
            return option
    return options[0] if options else None
