"""Independent checker of a timetable solution. Deliberately does not import the solver."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .instance import Assignment, Instance, Solution

HARD_KINDS = (
    "unknown_reference",
    "lesson_missing",
    "lesson_placed_twice",
    "unqualified_teacher",
    "teacher_double_booked",
    "room_double_booked",
    "pupil_overlap",
    "teacher_unavailable",
    "outside_school_window",
    "travel_time",
    "room_unsuitable",
    "over_max_minutes_day",
    "over_max_minutes_week",
    "locked_changed",
)

# Weights of the soft score (lower is better). The solver uses the same weights where it
# models a part; see docs/timetable-format.md.
SOFT_WEIGHTS = {
    "idle_gap_minutes": 1,
    "travel_minutes": 2,
    "school_visits": 30,
    "short_visit_minutes": 1,
    "preferred_teacher_changes": 60,
    "non_compact_minutes": 1,
    "load_imbalance_minutes": 0,
    "published_changes": 100,
}


@dataclass
class Report:
    hard: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    soft: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, message: str) -> None:
        self.hard[kind] += 1
        if len(self.examples[kind]) < 5:
            self.examples[kind].append(message)

    @property
    def hard_total(self) -> int:
        return sum(self.hard.values())

    @property
    def soft_total(self) -> int:
        return sum(SOFT_WEIGHTS[k] * v for k, v in self.soft.items())

    def to_dict(self) -> dict:
        return {
            "hard_total": self.hard_total,
            "hard": {k: self.hard.get(k, 0) for k in HARD_KINDS},
            "examples": {k: list(v) for k, v in self.examples.items() if v},
            "soft_total": self.soft_total,
            "soft": dict(self.soft),
            "soft_weights": dict(SOFT_WEIGHTS),
        }


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def check(inst: Instance, sol: Solution) -> Report:
    rep = Report()
    placed: list[Assignment] = []
    count = Counter(a.lesson for a in sol.assignments)
    for a in sol.assignments:
        bad = [
            f"{k} {v!r}"
            for k, v, ok in (
                ("lesson", a.lesson, inst.has("lesson", a.lesson)),
                ("teacher", a.teacher, inst.has("teacher", a.teacher)),
                ("room", a.room, inst.has("room", a.room)),
                ("day", a.day, a.day in inst.days),
            )
            if not ok
        ]
        if bad:
            rep.add("unknown_reference", f"assignment of {a.lesson}: unknown " + ", ".join(bad))
        else:
            placed.append(a)
    for lesson in inst.lessons:
        if count[lesson.id] == 0:
            rep.add("lesson_missing", f"{lesson.id} ({lesson.label} at {lesson.school}) not placed")
        elif count[lesson.id] > 1:
            rep.add("lesson_placed_twice", f"{lesson.id} placed {count[lesson.id]} times")

    by_teacher_day = defaultdict(list)
    by_room_day = defaultdict(list)
    by_key_day = defaultdict(list)
    for a in placed:
        lesson, teacher, room = inst.lesson(a.lesson), inst.teacher(a.teacher), inst.room(a.room)
        end = a.start + lesson.duration
        if not teacher.qualified(lesson):
            rep.add("unqualified_teacher", f"{a.lesson}: {a.teacher} cannot teach {lesson.label}")
        if not any(w0 <= a.start and end <= w1 for w0, w1 in teacher.availability.get(a.day, ())):
            rep.add("teacher_unavailable", f"{a.lesson}: {a.teacher} not available {a.day}")
        school = inst.school(lesson.school)
        win = school.windows.get(a.day)
        inside = win is not None and win[0] <= a.start and end <= win[1]
        if a.day not in school.music_days or not inside:
            rep.add(
                "outside_school_window",
                f"{a.lesson}: {a.day} {_hm(a.start)}-{_hm(end)} outside music day of {school.id}",
            )
        if (
            room.school != lesson.school
            or room.capacity < lesson.group_size
            or (lesson.room_feature and lesson.room_feature not in room.features)
        ):
            rep.add("room_unsuitable", f"{a.lesson}: room {room.id} unsuitable")
        item = (a.start, end, a, lesson)
        by_teacher_day[(a.teacher, a.day)].append(item)
        by_room_day[(a.room, a.day)].append(item)
        for key in inst.attendees(lesson):
            by_key_day[(key, a.day)].append(item)

    for kind, groups in (
        ("teacher_double_booked", by_teacher_day),
        ("room_double_booked", by_room_day),
        ("pupil_overlap", by_key_day),
    ):
        seen_pairs = set()
        for (who, day), items in groups.items():
            items.sort(key=lambda x: x[0])
            for i, (_s0, e0, a0, _) in enumerate(items):
                for s1, _e1, a1, _ in items[i + 1 :]:
                    if s1 >= e0:
                        break
                    pair = (kind, a0.lesson, a1.lesson)
                    if kind == "pupil_overlap" and pair in seen_pairs:
                        continue
                    seen_pairs.add(pair)
                    rep.add(kind, f"{a0.lesson} and {a1.lesson} overlap for {who} on {day}")

    # Teacher-day rules: travel, limits, soft parts.
    idle = travel = visits = short = 0
    week = Counter()
    for (tid, day), items in sorted(by_teacher_day.items()):
        teacher = inst.teacher(tid)
        items.sort(key=lambda x: (x[0], x[1]))
        minutes = sum(e - s for s, e, _, _ in items)
        week[tid] += minutes
        if minutes > teacher.max_minutes_day:
            rep.add(
                "over_max_minutes_day",
                f"{tid} teaches {minutes} min on {day} (max {teacher.max_minutes_day})",
            )
        visit_start = items[0][0]
        visit_minutes = 0
        for i, (s, e, _a, lesson) in enumerate(items):
            visit_minutes += e - s
            if i > 0:
                _ps, pe, pa, plesson = items[i - 1]
                need = inst.travel_minutes(plesson.school, lesson.school, teacher.travel)
                gap = s - pe
                if plesson.school != lesson.school:
                    travel += need
                    if gap < need:
                        rep.add(
                            "travel_time",
                            f"{tid} on {day}: {gap} min from {plesson.school} to "
                            f"{lesson.school} after {pa.lesson}, needs {need}",
                        )
                idle += max(0, gap - need)
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt is None or nxt[3].school != lesson.school:
                visits += 1
                span_paid = max(visit_minutes, e - visit_start)
                short += max(0, teacher.min_paid_minutes_visit - span_paid)
                if nxt is not None:
                    visit_start, visit_minutes = nxt[0], 0
    for tid, minutes in week.items():
        t = inst.teacher(tid)
        if minutes > t.max_minutes_week:
            rep.add(
                "over_max_minutes_week",
                f"{tid} teaches {minutes} min per week (max {t.max_minutes_week})",
            )

    by_id = defaultdict(list)
    for a in sol.assignments:
        by_id[a.lesson].append(a)
    for lock in inst.locked:
        if lock not in by_id.get(lock.lesson, []):
            rep.add("locked_changed", f"{lock.lesson}: locked assignment not kept")

    preferred = 0
    for a in placed:
        pref = inst.lesson(a.lesson).preferred_teacher
        if pref is not None and pref != a.teacher:
            preferred += 1
    published = 0
    for p in inst.published:
        if p not in by_id.get(p.lesson, []):
            published += 1

    # Compactness: per school and day, minutes between first and last lesson not covered.
    non_compact = 0
    by_school_day = defaultdict(list)
    for a in placed:
        lesson = inst.lesson(a.lesson)
        by_school_day[(lesson.school, a.day)].append((a.start, a.start + lesson.duration))
    for spans in by_school_day.values():
        spans.sort()
        cur_end = spans[0][1]
        for s, e in spans[1:]:
            if s > cur_end:
                non_compact += s - cur_end
            cur_end = max(cur_end, e)
    loads = list(week.values())
    rep.soft = {
        "idle_gap_minutes": idle,
        "travel_minutes": travel,
        "school_visits": visits,
        "short_visit_minutes": short,
        "preferred_teacher_changes": preferred,
        "non_compact_minutes": non_compact,
        "load_imbalance_minutes": (max(loads) - min(loads)) if loads else 0,
        "published_changes": published,
    }
    return rep


def _hm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_report(rep: Report) -> str:
    lines = [f"hard violations: {rep.hard_total}"]
    for k in HARD_KINDS:
        if rep.hard.get(k):
            lines.append(f"  {k}: {rep.hard[k]}")
            lines.extend(f"    - {m}" for m in rep.examples.get(k, []))
    lines.append(f"soft score: {rep.soft_total}")
    for k, v in rep.soft.items():
        lines.append(f"  {k}: {v} (weight {SOFT_WEIGHTS[k]})")
    return "\n".join(lines)
