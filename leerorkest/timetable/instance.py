"""Planning instance and solution for the weekly timetable, independent of the database.

The JSON form is stable and versioned; see ``docs/timetable-format.md``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

FORMAT = "leerorkest-timetable"
SOLUTION_FORMAT = "leerorkest-timetable-solution"
VERSION = 1
LESSON_KINDS = ("lesson", "sectional", "orchestra")
BICYCLE_KMH = 15.0
DETOUR_FACTOR = 1.3
# Public transport in a Dutch city: walking to the stop, waiting and walking on at the other
# end, then tram, metro or bus at an average speed that includes the stops; a short hop is
# walked when that is quicker.
TRANSIT_FIXED_MINUTES = 10
TRANSIT_KMH = 20.0
WALKING_KMH = 5.0
TRAVEL_MODES = ("bicycle", "transit")


class InstanceError(ValueError):
    """An instance or solution that cannot be read; the message names the path."""


Window = tuple[int, int]


@dataclass(frozen=True)
class School:
    id: str
    name: str
    lat: float
    lon: float
    music_days: tuple[str, ...]
    windows: dict[str, Window]  # day -> (start minute, end minute)


@dataclass(frozen=True)
class Room:
    id: str
    school: str
    capacity: int
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Teacher:
    id: str
    name: str
    instruments: tuple[str, ...]
    conductor: bool
    availability: dict[str, tuple[Window, ...]]  # day -> windows
    max_minutes_day: int
    max_minutes_week: int
    min_paid_minutes_visit: int = 0
    travel: str = "bicycle"  # one of TRAVEL_MODES

    def qualified(self, lesson: Lesson) -> bool:
        if lesson.kind == "orchestra":
            return self.conductor
        return lesson.instrument in self.instruments


@dataclass(frozen=True)
class Lesson:
    id: str
    school: str
    kind: str
    instrument: str | None
    duration: int
    group_size: int
    pupils: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    room_feature: str | None = None
    preferred_teacher: str | None = None

    @property
    def label(self) -> str:
        return self.instrument or self.kind


@dataclass(frozen=True)
class Assignment:
    lesson: str
    teacher: str
    room: str
    day: str
    start: int

    def to_dict(self) -> dict:
        return {
            "lesson": self.lesson,
            "teacher": self.teacher,
            "room": self.room,
            "day": self.day,
            "start": self.start,
        }

    @classmethod
    def from_dict(cls, d: dict, path: str) -> Assignment:
        try:
            return cls(
                lesson=str(d["lesson"]),
                teacher=str(d["teacher"]),
                room=str(d["room"]),
                day=str(d["day"]),
                start=int(d["start"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InstanceError(f"{path}: invalid assignment ({exc!r})") from None


@dataclass(frozen=True)
class Solution:
    assignments: tuple[Assignment, ...]
    stats: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {
            "format": SOLUTION_FORMAT,
            "version": VERSION,
            "assignments": [a.to_dict() for a in self.assignments],
            "stats": self.stats,
        }

    @classmethod
    def from_json(cls, data: dict) -> Solution:
        if not isinstance(data, dict) or data.get("format") != SOLUTION_FORMAT:
            raise InstanceError(f"format: expected {SOLUTION_FORMAT!r}")
        if data.get("version") != VERSION:
            raise InstanceError(f"version: unsupported version {data.get('version')!r}")
        rows = data.get("assignments")
        if not isinstance(rows, list):
            raise InstanceError("assignments: expected a list")
        return cls(
            tuple(Assignment.from_dict(r, f"assignments[{i}]") for i, r in enumerate(rows)),
            dict(data.get("stats") or {}),
        )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def estimate_travel_minutes(a: School, b: School, mode: str = "bicycle") -> int:
    """Door-to-door estimate: the straight-line distance times a detour factor, by bicycle at
    BICYCLE_KMH or by public transport (fixed walking and waiting time plus TRANSIT_KMH, or on
    foot when that is quicker)."""
    if a.id == b.id:
        return 0
    km = haversine_km(a.lat, a.lon, b.lat, b.lon) * DETOUR_FACTOR
    if mode == "transit":
        minutes = min(TRANSIT_FIXED_MINUTES + km / TRANSIT_KMH * 60, km / WALKING_KMH * 60)
    else:
        minutes = km / BICYCLE_KMH * 60
    return max(1, math.ceil(minutes))


@dataclass(frozen=True)
class Instance:
    days: tuple[str, ...]
    schools: tuple[School, ...]
    rooms: tuple[Room, ...]
    teachers: tuple[Teacher, ...]
    lessons: tuple[Lesson, ...]
    travel: dict[tuple[str, str], int] = field(default_factory=dict)  # explicit overrides
    locked: tuple[Assignment, ...] = ()
    published: tuple[Assignment, ...] = ()
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> pupils
    name: str = ""

    # ---- lookups -------------------------------------------------------------------
    def __post_init__(self):
        cache = {
            "school": {s.id: s for s in self.schools},
            "room": {r.id: r for r in self.rooms},
            "teacher": {t.id: t for t in self.teachers},
            "lesson": {lesson.id: lesson for lesson in self.lessons},
        }
        object.__setattr__(self, "_by", cache)
        object.__setattr__(self, "_travel_cache", {})

    def school(self, sid: str) -> School:
        return self._by["school"][sid]

    def room(self, rid: str) -> Room:
        return self._by["room"][rid]

    def teacher(self, tid: str) -> Teacher:
        return self._by["teacher"][tid]

    def lesson(self, lid: str) -> Lesson:
        return self._by["lesson"][lid]

    def has(self, kind: str, key: str) -> bool:
        return key in self._by[kind]

    def travel_minutes(self, a: str, b: str, mode: str = "bicycle") -> int:
        """Minutes from school `a` to school `b`: a known travel time (either direction, for
        every mode) or the estimate for `mode`."""
        if a == b:
            return 0
        cache = self._travel_cache
        key = (a, b, mode)
        if key not in cache:
            if (a, b) in self.travel:
                cache[key] = self.travel[(a, b)]
            elif (b, a) in self.travel:
                cache[key] = self.travel[(b, a)]
            else:
                cache[key] = estimate_travel_minutes(self.school(a), self.school(b), mode)
        return cache[key]

    def attendees(self, lesson: Lesson) -> frozenset[str]:
        """Keys that may not be in two places at once: pupils and classes."""
        keys = {f"pupil:{p}" for p in lesson.pupils}
        for c in lesson.classes:
            keys.add(f"class:{c}")
            keys.update(f"pupil:{p}" for p in self.classes.get(c, ()))
        return frozenset(keys)

    def suitable_rooms(self, lesson: Lesson) -> list[Room]:
        return [
            r
            for r in self.rooms
            if r.school == lesson.school
            and r.capacity >= lesson.group_size
            and (lesson.room_feature is None or lesson.room_feature in r.features)
        ]

    # ---- JSON ----------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "days": list(self.days),
            "schools": [
                {
                    "id": s.id,
                    "name": s.name,
                    "location": {"lat": s.lat, "lon": s.lon},
                    "music_days": list(s.music_days),
                    "windows": {d: list(w) for d, w in s.windows.items()},
                }
                for s in self.schools
            ],
            "rooms": [
                {
                    "id": r.id,
                    "school": r.school,
                    "capacity": r.capacity,
                    "features": list(r.features),
                }
                for r in self.rooms
            ],
            "teachers": [
                {
                    "id": t.id,
                    "name": t.name,
                    "instruments": list(t.instruments),
                    "conductor": t.conductor,
                    "availability": {d: [list(w) for w in ws] for d, ws in t.availability.items()},
                    "max_minutes_day": t.max_minutes_day,
                    "max_minutes_week": t.max_minutes_week,
                    "min_paid_minutes_visit": t.min_paid_minutes_visit,
                    "travel": t.travel,
                }
                for t in self.teachers
            ],
            "travel": [
                {"from": a, "to": b, "minutes": m} for (a, b), m in sorted(self.travel.items())
            ],
            "classes": {c: list(p) for c, p in self.classes.items()},
            "lessons": [
                {
                    "id": x.id,
                    "school": x.school,
                    "kind": x.kind,
                    "instrument": x.instrument,
                    "duration": x.duration,
                    "group_size": x.group_size,
                    "pupils": list(x.pupils),
                    "classes": list(x.classes),
                    "room_feature": x.room_feature,
                    "preferred_teacher": x.preferred_teacher,
                }
                for x in self.lessons
            ],
            "locked": [a.to_dict() for a in self.locked],
            "published": [a.to_dict() for a in self.published],
        }

    @classmethod
    def from_json(cls, data: dict) -> Instance:
        if not isinstance(data, dict):
            raise InstanceError("(root): expected a JSON object")
        if data.get("format") != FORMAT:
            raise InstanceError(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
        if data.get("version") != VERSION:
            raise InstanceError(f"version: unsupported version {data.get('version')!r}")
        path = "(root)"
        try:
            days = tuple(str(d) for d in _list(data, "days"))
            schools = []
            for i, s in enumerate(_list(data, "schools")):
                path = f"schools[{i}]"
                schools.append(
                    School(
                        id=str(s["id"]),
                        name=str(s.get("name", s["id"])),
                        lat=float(s["location"]["lat"]),
                        lon=float(s["location"]["lon"]),
                        music_days=tuple(str(d) for d in s["music_days"]),
                        windows={str(d): _window(w) for d, w in s["windows"].items()},
                    )
                )
            rooms = []
            for i, r in enumerate(_list(data, "rooms")):
                path = f"rooms[{i}]"
                rooms.append(
                    Room(
                        id=str(r["id"]),
                        school=str(r["school"]),
                        capacity=int(r["capacity"]),
                        features=tuple(str(f) for f in r.get("features", ())),
                    )
                )
            teachers = []
            for i, t in enumerate(_list(data, "teachers")):
                path = f"teachers[{i}]"
                teachers.append(
                    Teacher(
                        id=str(t["id"]),
                        name=str(t.get("name", t["id"])),
                        instruments=tuple(str(x) for x in t.get("instruments", ())),
                        conductor=bool(t.get("conductor", False)),
                        availability={
                            str(d): tuple(_window(w) for w in ws)
                            for d, ws in t.get("availability", {}).items()
                        },
                        max_minutes_day=int(t.get("max_minutes_day", 24 * 60)),
                        max_minutes_week=int(t.get("max_minutes_week", 7 * 24 * 60)),
                        min_paid_minutes_visit=int(t.get("min_paid_minutes_visit", 0)),
                        travel=str(t.get("travel", "bicycle")),
                    )
                )
            travel = {}
            for i, e in enumerate(data.get("travel", [])):
                path = f"travel[{i}]"
                travel[(str(e["from"]), str(e["to"]))] = int(e["minutes"])
            classes = {}
            for c, pupils in (data.get("classes") or {}).items():
                path = f"classes.{c}"
                classes[str(c)] = tuple(str(p) for p in pupils)
            lessons = []
            for i, x in enumerate(_list(data, "lessons")):
                path = f"lessons[{i}]"
                lessons.append(
                    Lesson(
                        id=str(x["id"]),
                        school=str(x["school"]),
                        kind=str(x.get("kind", "lesson")),
                        instrument=None if x.get("instrument") is None else str(x["instrument"]),
                        duration=int(x["duration"]),
                        group_size=int(x.get("group_size", 1)),
                        pupils=tuple(str(p) for p in x.get("pupils", ())),
                        classes=tuple(str(c) for c in x.get("classes", ())),
                        room_feature=x.get("room_feature"),
                        preferred_teacher=x.get("preferred_teacher"),
                    )
                )
            path = "locked"
            locked = tuple(
                Assignment.from_dict(a, f"locked[{i}]")
                for i, a in enumerate(data.get("locked", []))
            )
            published = tuple(
                Assignment.from_dict(a, f"published[{i}]")
                for i, a in enumerate(data.get("published", []))
            )
        except InstanceError:
            raise
        except KeyError as exc:
            raise InstanceError(f"{path}: missing field {exc.args[0]!r}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise InstanceError(f"{path}: {exc}") from None
        inst = cls(
            days=days,
            schools=tuple(schools),
            rooms=tuple(rooms),
            teachers=tuple(teachers),
            lessons=tuple(lessons),
            travel=travel,
            locked=locked,
            published=published,
            classes=classes,
            name=str(data.get("name", "")),
        )
        inst.validate()
        return inst

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False)

    # ---- reference validation ---------------------------------------------------------
    def validate(self) -> None:
        """Raise InstanceError on the first broken reference, naming its path."""
        days = set(self.days)
        _unique("days", list(self.days))
        for name, items in (
            ("schools", self.schools),
            ("rooms", self.rooms),
            ("teachers", self.teachers),
            ("lessons", self.lessons),
        ):
            _unique(name, [x.id for x in items])
        for i, s in enumerate(self.schools):
            for d in s.music_days:
                if d not in days:
                    raise InstanceError(f"schools[{i}].music_days: unknown day {d!r}")
                if d not in s.windows:
                    raise InstanceError(f"schools[{i}].windows: no window for music day {d!r}")
            for d, (a, b) in s.windows.items():
                if d not in days:
                    raise InstanceError(f"schools[{i}].windows: unknown day {d!r}")
                if not 0 <= a < b <= 24 * 60:
                    raise InstanceError(f"schools[{i}].windows.{d}: invalid window [{a}, {b}]")
        for i, r in enumerate(self.rooms):
            if not self.has("school", r.school):
                raise InstanceError(f"rooms[{i}].school: unknown school {r.school!r}")
        for i, t in enumerate(self.teachers):
            if t.travel not in TRAVEL_MODES:
                raise InstanceError(
                    f"teachers[{i}].travel: expected one of {', '.join(TRAVEL_MODES)},"
                    f" got {t.travel!r}"
                )
            for d, ws in t.availability.items():
                if d not in days:
                    raise InstanceError(f"teachers[{i}].availability: unknown day {d!r}")
                for a, b in ws:
                    if not 0 <= a < b <= 24 * 60:
                        raise InstanceError(
                            f"teachers[{i}].availability.{d}: invalid window [{a}, {b}]"
                        )
        for (a, b), m in self.travel.items():
            for s in (a, b):
                if not self.has("school", s):
                    raise InstanceError(f"travel: unknown school {s!r}")
            if m < 0:
                raise InstanceError(f"travel: negative minutes from {a!r} to {b!r}")
        features = {f for r in self.rooms for f in r.features}
        for i, x in enumerate(self.lessons):
            p = f"lessons[{i}]"
            if not self.has("school", x.school):
                raise InstanceError(f"{p}.school: unknown school {x.school!r}")
            if x.kind not in LESSON_KINDS:
                raise InstanceError(f"{p}.kind: unknown kind {x.kind!r}")
            if x.kind != "orchestra" and not x.instrument:
                raise InstanceError(f"{p}.instrument: required for kind {x.kind!r}")
            if x.duration <= 0:
                raise InstanceError(f"{p}.duration: must be positive")
            if x.room_feature is not None and x.room_feature not in features:
                raise InstanceError(f"{p}.room_feature: unknown room kind {x.room_feature!r}")
            if x.preferred_teacher is not None and not self.has("teacher", x.preferred_teacher):
                raise InstanceError(
                    f"{p}.preferred_teacher: unknown teacher {x.preferred_teacher!r}"
                )
            for c in x.classes:
                if self.classes and c not in self.classes:
                    raise InstanceError(f"{p}.classes: unknown class {c!r}")
        for name, rows in (("locked", self.locked), ("published", self.published)):
            for i, a in enumerate(rows):
                p = f"{name}[{i}]"
                for kind, key in (("lesson", a.lesson), ("teacher", a.teacher), ("room", a.room)):
                    if not self.has(kind, key):
                        raise InstanceError(f"{p}.{kind}: unknown {kind} {key!r}")
                if a.day not in days:
                    raise InstanceError(f"{p}.day: unknown day {a.day!r}")


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        raise InstanceError(f"{key}: expected a list")
    return value


def _window(w) -> Window:
    a, b = w
    return (int(a), int(b))


def _unique(name: str, ids: list[str]) -> None:
    seen = set()
    for i, key in enumerate(ids):
        if key in seen:
            raise InstanceError(f"{name}[{i}].id: duplicate id {key!r}")
        seen.add(key)


def load_instance(path) -> Instance:
    return Instance.from_json(_read_json(path))


def load_solution(path) -> Solution:
    return Solution.from_json(_read_json(path))


def _read_json(path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise InstanceError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise InstanceError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
