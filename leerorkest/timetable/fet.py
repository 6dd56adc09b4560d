"""Export a planning instance to FET (https://lalescu.ro/liviu/fet/), run ``fet-cl``, read it back.

FET is a free school timetable generator used here as an outside baseline. It places
*activities* (with fixed teachers and students) in a grid of days × hours and assigns rooms;
it does not choose teachers. The FET variant of an instance therefore differs from ours:

* **Teachers are fixed** per lesson, from a given solution (for example the greedy one) or the
  preferred teacher. The weekly teaching limit is then met by that choice alone. With
  ``fix_days`` the days are fixed too and every teacher becomes one FET teacher per day.
* **Time grid** of ``slot`` minutes from the earliest school window; a lesson takes its
  duration rounded up to whole slots and starts at a slot boundary (the read-back start is
  that slot's minute). The default slot is 5 minutes, which is exact for durations and
  windows in multiples of 5. A 15-minute grid (``slot=15``) rounds 40-minute lessons up to
  45 and makes full teacher days impossible: with the greedy teachers FET then places only
  part of tier M.
* **School windows and music days**: each activity's allowed starting slots
  (``ConstraintActivityPreferredStartingTimes``, 100 %) are those on a music day of its school
  where the real lesson ends inside the window.
* **Teacher availability**: slots not wholly inside an availability window are not available
  (``ConstraintTeacherNotAvailableTimes``). A lesson spanning two touching availability
  windows is allowed by FET but not by our validator (the generator never makes such windows).
* **Teaching minutes per day**: ``ConstraintTeacherMaxHoursDaily`` with ``max_minutes_day``
  rounded down to whole slots, counting rounded durations (stricter than ours if rounding).
* **Rooms**: one FET building per school; each activity may only use the rooms that suit it
  (``ConstraintActivityPreferredRoom(s)``, 100 %), so capacity and features are respected.
* **Pupils and classes**: each class is a FET year with one group; pupils that always have
  the same lessons and classes form one subgroup (pupils outside every class go to a year
  ``(no class)``). Lessons list the subgroups of their pupils, orchestras their classes, so
  FET keeps them from overlapping.
* **Travel**: every activity is tagged with its school, and per teacher and ordered pair of
  schools that share a possible day ``ConstraintTeacherMinGapsBetweenOrderedPairOfActivityTags``
  asks for the travel time in empty slots (rounded up) between a lesson at the first and a
  later lesson at the second school. FET applies it to every such pair on the day, not only
  to consecutive lessons; with travel times that obey the triangle inequality that is the
  same rule. (FET's building constraints, ``ConstraintTeacherMinGapsBetweenBuildingChanges``,
  take one number per teacher; the longest trip made tier M impossible, so they are not used.)
* **Locked lessons** become permanently locked starting times and rooms when their start lies
  on the grid; otherwise they are left free and listed in ``notes``.
* **Not expressed**: the soft goals (visits, idle and travel minutes, compact days, preferred
  teachers beyond the fixed choice, published timetable). FET's own soft constraints do not
  match them, so none are added: FET returns its first timetable that keeps the hard rules,
  and the validator scores it like any other.

``run_fet`` writes the file in a temporary directory, runs ``fet-cl`` with a time limit and
reads ``*_activities.xml`` back into a :class:`~leerorkest.timetable.instance.Solution`;
activities FET did not place are left out (the validator counts them as ``lesson_missing``).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .instance import Assignment, Instance, Solution

FET_CL = "fet-cl"
SLOT = 5  # minutes per FET hour (see the module docs for 15)
NO_CLASS = "(no class)"


@dataclass
class FetExport:
    xml: str
    slot: int
    day_start: int  # minute of the first slot
    hours: list[str]  # slot names
    lessons: dict[int, str]  # FET activity id -> lesson id
    teachers: dict[str, str]  # lesson id -> fixed teacher
    notes: list[str] = field(default_factory=list)


@dataclass
class FetResult:
    status: str  # "complete", "partial", "failed" or "missing" (no fet-cl)
    solution: Solution | None
    seconds: float
    placed: int = 0
    message: str = ""
    export: FetExport | None = None


def fixed_teachers(inst: Instance, solution: Solution | None = None) -> dict[str, str]:
    """Teacher per lesson: from ``solution`` (locked lessons keep theirs), else preferred.

    Lessons neither gives get the first qualified teacher; callers wanting a feasible choice
    pass a complete solution (for instance ``greedy.solve_greedy``).
    """
    out = {a.lesson: a.teacher for a in (solution.assignments if solution else ())}
    out |= {a.lesson: a.teacher for a in inst.locked}
    for x in inst.lessons:
        if x.id not in out:
            if x.preferred_teacher:
                out[x.id] = x.preferred_teacher
            else:
                qualified = [t.id for t in inst.teachers if t.qualified(x)]
                if qualified:
                    out[x.id] = qualified[0]
    return out


def _hm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _sub(parent, tag: str, text=None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = str(text)
    return el


def export_fet(
    inst: Instance,
    teachers: dict[str, str] | Solution | None = None,
    slot: int = SLOT,
    *,
    fix_days: bool = False,
    travel: bool = True,
    day_limits: bool = True,
) -> FetExport:
    """The FET input file of ``inst`` with the given teacher per lesson (see module docs).

    ``teachers`` is a solution or a mapping lesson -> teacher. With ``fix_days`` (needs a
    solution) each lesson also keeps its day and every teacher becomes one FET teacher per
    day, so the travel gap only counts the schools of that day. ``travel`` and
    ``day_limits`` switch those constraints off (for experiments; the result may then break
    our rules).
    """
    days_of = {}
    if isinstance(teachers, Solution):
        days_of = {a.lesson: a.day for a in teachers.assignments}
    if fix_days and not days_of:
        raise ValueError("fix_days needs a solution to take the days from")
    if not isinstance(teachers, dict):
        teachers = fixed_teachers(inst, teachers)
    notes = []
    windows = [w for s in inst.schools for d, w in s.windows.items() if d in s.music_days]
    day_start = min(w[0] for w in windows)
    day_end = max(w[1] for w in windows)
    n_hours = math.ceil((day_end - day_start) / slot)
    hours = [_hm(day_start + i * slot) for i in range(n_hours)]
    lessons = [x for x in inst.lessons if x.id in teachers and (not fix_days or x.id in days_of)]
    for x in inst.lessons:
        if x.id not in teachers:
            notes.append(f"{x.id}: no teacher to fix; left out")
        elif fix_days and x.id not in days_of:
            notes.append(f"{x.id}: no day to fix; left out")
    # Days each lesson may take, and its FET teacher (one per teacher and day with fix_days).
    allowed = {}
    fet_teacher = {}
    for x in lessons:
        school = inst.school(x.school)
        if fix_days:
            allowed[x.id] = (days_of[x.id],)
            fet_teacher[x.id] = f"{teachers[x.id]} {days_of[x.id]}"
        else:
            allowed[x.id] = tuple(d for d in inst.days if d in school.music_days)
            fet_teacher[x.id] = teachers[x.id]

    root = ET.Element("fet", version="6.8.5")
    _sub(root, "Mode", "Official")
    _sub(root, "Institution_Name", inst.name or "Leerorkest")
    _sub(root, "Comments", "Exported by leerorkest.timetable.fet")
    days = _sub(root, "Days_List")
    _sub(days, "Number_of_Days", len(inst.days))
    for d in inst.days:
        _sub(_sub(days, "Day"), "Name", d)
    hl = _sub(root, "Hours_List")
    _sub(hl, "Number_of_Hours", n_hours)
    for h in hours:
        _sub(_sub(hl, "Hour"), "Name", h)

    subjects = _sub(root, "Subjects_List")
    for name in sorted({x.label for x in lessons}):
        _sub(_sub(subjects, "Subject"), "Name", name)
    tags = _sub(root, "Activity_Tags_List")
    for school in inst.schools:
        t = _sub(tags, "Activity_Tag")
        _sub(t, "Name", school.id)
        _sub(t, "Printable", "false")
        _sub(t, "Comments", "")
    tl = _sub(root, "Teachers_List")
    used_teachers = sorted(set(fet_teacher.values()))
    real = {fet_teacher[x.id]: teachers[x.id] for x in lessons}
    for name in used_teachers:
        t = _sub(tl, "Teacher")
        _sub(t, "Name", name)
        _sub(t, "Target_Number_of_Hours", 0)
        _sub(t, "Qualified_Subjects")
        _sub(t, "Comments", "")

    # Students: a year per class, subgroups of pupils with the same lessons and classes.
    member = defaultdict(set)  # pupil -> classes
    for c, pupils in inst.classes.items():
        for p in pupils:
            member[p].add(c)
    signature = defaultdict(set)  # pupil -> lessons
    for x in lessons:
        for p in x.pupils:
            signature[p].add(x.id)
    all_pupils = set(member) | set(signature)
    subgroup_of = {}
    names = {}
    for p in sorted(all_pupils):
        key = (frozenset(signature[p]), frozenset(member[p]))
        if key not in names:
            names[key] = f"sg{len(names) + 1}"
        subgroup_of[p] = names[key]
    size = defaultdict(int)
    for p in all_pupils:
        size[subgroup_of[p]] += 1
    years = defaultdict(set)  # year -> subgroups
    for p in all_pupils:
        for c in member[p] or {NO_CLASS}:
            years[c].add(subgroup_of[p])
    for c in inst.classes:
        years.setdefault(c, set())
    sl = _sub(root, "Students_List")
    for c in sorted(years):
        subs = sorted(years[c])
        y = _sub(sl, "Year")
        _sub(y, "Name", c)
        _sub(y, "Number_of_Students", sum(size[s] for s in subs))
        _sub(y, "Comments", "")
        if subs:
            g = _sub(y, "Group")
            _sub(g, "Name", f"{c} all")
            _sub(g, "Number_of_Students", sum(size[s] for s in subs))
            _sub(g, "Comments", "")
            for s in subs:
                sg = _sub(g, "Subgroup")
                _sub(sg, "Name", s)
                _sub(sg, "Number_of_Students", size[s])
                _sub(sg, "Comments", "")

    al = _sub(root, "Activities_List")
    activity = {}
    slots_of = {}
    for i, x in enumerate(lessons, start=1):
        activity[x.id] = i
        n = math.ceil(x.duration / slot)
        slots_of[x.id] = n
        a = _sub(al, "Activity")
        _sub(a, "Teacher", fet_teacher[x.id])
        _sub(a, "Subject", x.label)
        _sub(a, "Activity_Tag", x.school)
        students = sorted({subgroup_of[p] for p in x.pupils} | set(x.classes))
        for s in students:
            _sub(a, "Students", s)
        _sub(a, "Duration", n)
        _sub(a, "Total_Duration", n)
        _sub(a, "Id", i)
        _sub(a, "Activity_Group_Id", 0)
        _sub(a, "Active", "true")
        _sub(a, "Comments", x.id)

    bl = _sub(root, "Buildings_List")
    for s in inst.schools:
        b = _sub(bl, "Building")
        _sub(b, "Name", s.id)
        _sub(b, "Comments", s.name)
    rl = _sub(root, "Rooms_List")
    for r in inst.rooms:
        el = _sub(rl, "Room")
        _sub(el, "Name", r.id)
        _sub(el, "Building", r.school)
        _sub(el, "Capacity", r.capacity)
        _sub(el, "Virtual", "false")
        _sub(el, "Comments", "")

    tc = _sub(root, "Time_Constraints_List")
    _constraint(tc, "ConstraintBasicCompulsoryTime")
    by_teacher = defaultdict(list)
    for x in lessons:
        by_teacher[fet_teacher[x.id]].append(x)
    for name in used_teachers:
        t = inst.teacher(real[name])
        own_days = {d for x in by_teacher[name] for d in allowed[x.id]} if fix_days else None
        busy = []
        for d in inst.days:
            for i in range(n_hours):
                s0 = day_start + i * slot
                free = any(a <= s0 and s0 + slot <= b for a, b in t.availability.get(d, ()))
                if not free or (own_days is not None and d not in own_days):
                    busy.append((d, hours[i]))
        if busy:
            c = _constraint(tc, "ConstraintTeacherNotAvailableTimes", active=False)
            _sub(c, "Teacher", name)
            _sub(c, "Number_of_Not_Available_Times", len(busy))
            for d, h in busy:
                na = _sub(c, "Not_Available_Time")
                _sub(na, "Day", d)
                _sub(na, "Hour", h)
            _finish(c)
        max_slots = t.max_minutes_day // slot
        if day_limits and sum(slots_of[x.id] for x in by_teacher[name]) > max_slots:
            c = _constraint(tc, "ConstraintTeacherMaxHoursDaily", active=False)
            _sub(c, "Teacher_Name", name)
            _sub(c, "Maximum_Hours_Daily", max_slots)
            _finish(c)
    locked = {a.lesson: a for a in inst.locked}
    for x in lessons:
        school = inst.school(x.school)
        lock = locked.get(x.id)
        if lock is not None:
            offset = lock.start - day_start
            if offset >= 0 and offset % slot == 0 and offset // slot < n_hours:
                c = _constraint(tc, "ConstraintActivityPreferredStartingTime", active=False)
                _sub(c, "Activity_Id", activity[x.id])
                _sub(c, "Preferred_Day", lock.day)
                _sub(c, "Preferred_Hour", hours[offset // slot])
                _sub(c, "Permanently_Locked", "true")
                _finish(c)
                continue
            notes.append(f"{x.id}: locked start {_hm(lock.start)} is not on the FET grid")
        starts = []
        for d in allowed[x.id]:
            w0, w1 = school.windows[d]
            for i in range(n_hours - slots_of[x.id] + 1):
                s0 = day_start + i * slot
                if w0 <= s0 and s0 + x.duration <= w1:
                    starts.append((d, hours[i]))
        if not starts:
            notes.append(f"{x.id}: no starting slot inside the school window")
        c = _constraint(tc, "ConstraintActivityPreferredStartingTimes", active=False)
        _sub(c, "Activity_Id", activity[x.id])
        _sub(c, "Number_of_Preferred_Starting_Times", len(starts))
        for d, h in starts:
            p = _sub(c, "Preferred_Starting_Time")
            _sub(p, "Preferred_Starting_Day", d)
            _sub(p, "Preferred_Starting_Hour", h)
        _finish(c)

    sc = _sub(root, "Space_Constraints_List")
    _constraint(sc, "ConstraintBasicCompulsorySpace")
    for x in lessons:
        lock = locked.get(x.id)
        rooms = [lock.room] if lock is not None else [r.id for r in inst.suitable_rooms(x)]
        if not rooms:
            notes.append(f"{x.id}: no suitable room")
            continue
        if len(rooms) == 1:
            c = _constraint(sc, "ConstraintActivityPreferredRoom", active=False)
            _sub(c, "Activity_Id", activity[x.id])
            _sub(c, "Room", rooms[0])
            _sub(c, "Permanently_Locked", "true" if lock is not None else "false")
        else:
            c = _constraint(sc, "ConstraintActivityPreferredRooms", active=False)
            _sub(c, "Activity_Id", activity[x.id])
            _sub(c, "Number_of_Preferred_Rooms", len(rooms))
            for r in rooms:
                _sub(c, "Preferred_Room", r)
        _finish(c)

    # Travel: per teacher and ordered pair of schools of a common day, the trip in empty slots
    # (activities are tagged with their school).
    for name in used_teachers if travel else ():
        mode = inst.teacher(real[name]).travel
        for a, b, gap in _travel_gaps(inst, by_teacher[name], allowed, slot, mode):
            c = _constraint(tc, "ConstraintTeacherMinGapsBetweenOrderedPairOfActivityTags", False)
            _sub(c, "Teacher", name)
            _sub(c, "First_Activity_Tag", a)
            _sub(c, "Second_Activity_Tag", b)
            _sub(c, "MinGaps", gap)
            _finish(c)

    ET.indent(root, space="\t")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
    return FetExport(
        xml=text + "\n",
        slot=slot,
        day_start=day_start,
        hours=hours,
        lessons={i: lid for lid, i in activity.items()},
        teachers={x.id: teachers[x.id] for x in lessons},
        notes=notes,
    )


def _constraint(parent, tag: str, active: bool = True) -> ET.Element:
    c = _sub(parent, tag)
    _sub(c, "Weight_Percentage", 100)
    if active:
        _finish(c)
    return c


def _finish(c: ET.Element) -> None:
    _sub(c, "Active", "true")
    _sub(c, "Comments", "")


def _travel_gaps(
    inst: Instance, lessons, allowed, slot: int, mode: str
) -> list[tuple[str, str, int]]:
    """(school, school, empty slots) for a teacher's schools that share a possible day."""
    days = defaultdict(set)
    for x in lessons:
        for d in allowed[x.id]:
            days[d].add(x.school)
    pairs = set()
    for schools in days.values():
        pairs |= {(a, b) for a in schools for b in schools if a != b}
    out = []
    for a, b in sorted(pairs):
        gap = math.ceil(inst.travel_minutes(a, b, mode) / slot)
        if gap:
            out.append((a, b, gap))
    return out


def read_fet_activities(inst: Instance, export: FetExport, text: str) -> Solution:
    """The solution in FET's ``*_activities.xml`` (activities without a day or hour left out)."""
    root = ET.fromstring(text)  # noqa: S314 - written by fet-cl in our own temporary directory
    rows = {}
    hour_index = {h: i for i, h in enumerate(export.hours)}
    for el in root.iter("Activity"):
        aid = int(el.findtext("Id", "0"))
        lid = export.lessons.get(aid)
        day, hour = el.findtext("Day"), el.findtext("Hour")
        if lid is None or not day or hour not in hour_index:
            continue
        room = el.findtext("Room") or ""
        start = export.day_start + hour_index[hour] * export.slot
        rows[lid] = Assignment(lid, export.teachers[lid], room, day, start)
    ordered = tuple(rows[x.id] for x in inst.lessons if x.id in rows)
    return Solution(ordered, {"solver": "fet", "placed": len(ordered)})


def fet_available() -> bool:
    return shutil.which(FET_CL) is not None


def run_fet(
    inst: Instance,
    time_limit: int = 60,
    teachers: dict[str, str] | Solution | None = None,
    seed: int = 1,
    workdir: str | Path | None = None,
    slot: int = SLOT,
) -> FetResult:
    """Export ``inst``, run ``fet-cl`` for at most ``time_limit`` seconds and read it back.

    Status ``complete`` if FET placed every activity, ``partial`` if it stopped at the time
    limit (its best partial timetable is read if FET wrote one), ``failed`` if it gave no
    timetable, ``missing`` if ``fet-cl`` is not installed.
    """
    t0 = time.monotonic()
    export = export_fet(inst, teachers, slot)
    if not fet_available():
        return FetResult("missing", None, 0.0, message="fet-cl is not installed", export=export)
    with tempfile.TemporaryDirectory(prefix="leerorkest-fet-", dir=workdir) as tmp:
        path = Path(tmp) / "instance.fet"
        path.write_text(export.xml, encoding="utf-8")
        out = Path(tmp) / "out"
        seeds = [f"--randomseeds{k}={seed + i}" for i, k in enumerate((10, 11, 12, 20, 21, 22))]
        cmd = [
            FET_CL,
            f"--inputfile={path}",
            f"--outputdir={out}",
            f"--timelimitseconds={max(1, int(time_limit))}",
            "--htmllevel=0",
            "--language=en_US",
            "--writetimetablesxml=true",
            *seeds,
        ]
        try:
            proc = subprocess.run(  # noqa: S603 - fixed program, our own arguments
                cmd, capture_output=True, text=True, timeout=time_limit + 60, check=False
            )
            message = (proc.stdout + proc.stderr).strip()
        except subprocess.TimeoutExpired:
            return FetResult("failed", None, time.monotonic() - t0, message="fet-cl hung")
        # A complete timetable is in timetables/instance/; after a time-out fet-cl writes
        # the partial timetable with the most activities placed to instance-highest/.
        rank = {"instance": 0, "instance-highest": 1, "instance-current": 2}
        found = [p for p in out.rglob("*_activities.xml") if p.parent.name in rank]
        chosen = min(found, key=lambda p: rank[p.parent.name], default=None)
        if chosen is None:
            return FetResult(
                "failed", None, time.monotonic() - t0, message=message[-2000:], export=export
            )
        sol = read_fet_activities(inst, export, chosen.read_text(encoding="utf-8-sig"))
    placed = len(sol.assignments)
    status = "complete" if placed == len(export.lessons) else "partial"
    sol.stats.update({"status": status, "wall_seconds": round(time.monotonic() - t0, 3)})
    return FetResult(status, sol, time.monotonic() - t0, placed, message[-2000:], export)
