"""Why no timetable exists, in words a coordinator understands, and which teachers could give
a lesson at all (`candidates`)."""

from __future__ import annotations

from collections import defaultdict

from .instance import Instance


def intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if lo < hi:
                out.append((lo, hi))
    return out


def candidates(inst: Instance, lesson) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(teacher, day, start ranges within the day) that could hold ``lesson``."""
    school = inst.school(lesson.school)
    out = []
    for t in inst.teachers:
        if not t.qualified(lesson) or t.max_minutes_day < lesson.duration:
            continue
        for d in school.music_days:
            windows = intersect([school.windows[d]], list(t.availability.get(d, ())))
            starts = [(a, b - lesson.duration) for a, b in windows if b - a >= lesson.duration]
            if starts:
                out.append((t.id, d, starts))
    return out


def explain(inst: Instance) -> list[str]:
    """Necessary conditions checked before solving, in words a coordinator understands."""
    msgs = []
    day_name = {
        "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
        "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
    }  # fmt: skip

    def dn(d):
        return day_name.get(d, d)

    for lesson in inst.lessons:
        school = inst.school(lesson.school)
        what = (
            "orchestra rehearsal"
            if lesson.kind == "orchestra"
            else f"{lesson.label} {'sectional' if lesson.kind == 'sectional' else 'lesson'}"
        )
        if not any(t.qualified(lesson) for t in inst.teachers):
            who = "conductor" if lesson.kind == "orchestra" else f"{lesson.label} teacher"
            msgs.append(f"{school.name} needs a {what} ({lesson.id}); there is no {who} at all.")
        elif not candidates(inst, lesson):
            days = " or ".join(dn(d) for d in school.music_days)
            msgs.append(
                f"{school.name} needs a {what} ({lesson.id}) on {days}; no qualified teacher "
                f"is free long enough ({lesson.duration} minutes) within the school's hours."
            )
        if not inst.suitable_rooms(lesson):
            need = f" with {lesson.room_feature}" if lesson.room_feature else ""
            msgs.append(
                f"{school.name} has no room{need} for {lesson.group_size} pupils "
                f"for the {what} ({lesson.id})."
            )
    # Demand per school, day and instrument (lessons with a single possible day).
    demand = defaultdict(list)
    for lesson in inst.lessons:
        school = inst.school(lesson.school)
        if len(school.music_days) == 1:
            key = "conductor" if lesson.kind == "orchestra" else lesson.instrument
            demand[(school.id, school.music_days[0], key)].append(lesson)
    for (sid, d, key), group in demand.items():
        school = inst.school(sid)
        need = sum(x.duration for x in group)
        win = [school.windows[d]]
        supply, free = 0, 0
        for t in inst.teachers:
            if not t.qualified(group[0]):
                continue
            avail = sum(b - a for a, b in intersect(win, list(t.availability.get(d, ()))))
            cap = min(avail, t.max_minutes_day, t.max_minutes_week)
            if cap > 0:
                supply += cap
                free += 1
        if need > supply:
            noun = "orchestra rehearsals" if key == "conductor" else f"{key} lessons"
            who = "conductor" if key == "conductor" else f"{key} teacher"
            teachers = {0: f"no {who} is", 1: f"only one {who} is"}.get(
                free, f"only {free} {who}s are"
            )
            msgs.append(
                f"{dn(d)} at {school.name} needs {len(group)} {noun} ({need} minutes); "
                f"{teachers} free that day (at most {supply} minutes)."
            )
    # Room time and pupil time per school day.
    for school in inst.schools:
        if len(school.music_days) != 1:
            continue
        d = school.music_days[0]
        length = school.windows[d][1] - school.windows[d][0]
        mine = [x for x in inst.lessons if x.school == school.id]
        rooms = [r for r in inst.rooms if r.school == school.id]
        if sum(x.duration for x in mine) > length * len(rooms):
            msgs.append(
                f"{dn(d)} at {school.name} has {sum(x.duration for x in mine)} lesson minutes "
                f"but its {len(rooms)} rooms offer only {length * len(rooms)} minutes."
            )
        for feature in sorted({x.room_feature for x in mine if x.room_feature}):
            need = [x for x in mine if x.room_feature == feature]
            fitting = [r for r in rooms if feature in r.features]
            minutes = sum(x.duration for x in need)
            if fitting and minutes > length * len(fitting):
                msgs.append(
                    f"{dn(d)} at {school.name} needs the {feature} room for {len(need)} "
                    f"lessons ({minutes} minutes); the school day is only {length} minutes."
                )
        per_key = defaultdict(int)
        for x in mine:
            for k in inst.attendees(x):
                per_key[k] += x.duration
        for k, m in sorted(per_key.items()):
            if m > length:
                msgs.append(
                    f"{k.split(':', 1)[1]} at {school.name} has {m} minutes of lessons on "
                    f"{dn(d)}, longer than the school day ({length} minutes)."
                )
                break
    # Week capacity per instrument.
    week = defaultdict(int)
    for x in inst.lessons:
        week["conductor" if x.kind == "orchestra" else x.instrument] += x.duration
    for key, need in week.items():
        cap = sum(
            t.max_minutes_week
            for t in inst.teachers
            if (t.conductor if key == "conductor" else key in t.instruments)
        )
        if need > cap:
            msgs.append(
                f"All {key} work together takes {need} minutes a week; the {key} teachers "
                f"may work at most {cap} minutes a week."
            )
    return msgs
