"""Greedy baseline: place the hardest lessons first at the first position that breaks no hard rule.

It never breaks a hard rule; lessons it cannot place are left out (the validator counts them
as ``lesson_missing``). Same output shape as the CP-SAT solver.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .instance import Assignment, Instance, Solution
from .solver import candidates

STEP = 5  # minutes between tried start times


def solve_greedy(inst: Instance) -> Solution:
    t0 = time.monotonic()
    teacher_day = defaultdict(list)  # (teacher, day) -> [(start, end, school)]
    room_day = defaultdict(list)  # (room, day) -> [(start, end)]
    key_day = defaultdict(list)  # (attendee, day) -> [(start, end)]
    week = defaultdict(int)
    rows: list[Assignment] = []

    def free(busy, s, e):
        return all(e <= b0 or b1 <= s for b0, b1 in busy)

    def travel_ok(items, s, e, school):
        for b0, b1, other in items:
            gap = inst.travel_minutes(other, school)
            if not (b1 + gap <= s or e + gap <= b0):
                return False
        # Lessons at one school form one visit: never leave a school and come back the same
        # day (the CP-SAT model has the same rule, so the greedy result is a valid hint).
        here = [(b0, b1) for b0, b1, other in items if other == school] + [(s, e)]
        for b0, _b1, other in items:
            if other != school and len({h0 < b0 for h0, _ in here}) > 1:
                return False
        return True

    def place(lesson, a: Assignment):
        e = a.start + lesson.duration
        teacher_day[(a.teacher, a.day)].append((a.start, e, lesson.school))
        room_day[(a.room, a.day)].append((a.start, e))
        for k in inst.attendees(lesson):
            key_day[(k, a.day)].append((a.start, e))
        week[a.teacher] += lesson.duration
        rows.append(a)

    locked = {a.lesson: a for a in inst.locked}
    for a in inst.locked:
        place(inst.lesson(a.lesson), a)
    todo = [x for x in inst.lessons if x.id not in locked]
    cands = {x.id: candidates(inst, x) for x in todo}
    todo.sort(key=lambda x: (x.kind != "orchestra", len(cands[x.id]), -x.duration, x.id))
    for lesson in todo:
        rooms = inst.suitable_rooms(lesson)
        keys = inst.attendees(lesson)
        # Prefer the preferred teacher, then teachers already at this school that day.
        options = sorted(
            cands[lesson.id],
            key=lambda c: (
                c[0] != lesson.preferred_teacher,
                not any(sc == lesson.school for _, _, sc in teacher_day[(c[0], c[1])]),
                week[c[0]],
            ),
        )
        done = False
        for tid, day, ranges in options:
            t = inst.teacher(tid)
            busy = teacher_day[(tid, day)]
            if week[tid] + lesson.duration > t.max_minutes_week:
                continue
            if sum(e - s for s, e, _ in busy) + lesson.duration > t.max_minutes_day:
                continue
            for a, b in ranges:
                for s in range(a, b + 1, STEP):
                    e = s + lesson.duration
                    if not free([(x, y) for x, y, _ in busy], s, e):
                        continue
                    if not travel_ok(busy, s, e, lesson.school):
                        continue
                    if not all(free(key_day[(k, day)], s, e) for k in keys):
                        continue
                    room = next((r for r in rooms if free(room_day[(r.id, day)], s, e)), None)
                    if room is None:
                        continue
                    place(lesson, Assignment(lesson.id, tid, room.id, day, s))
                    done = True
                    break
                if done:
                    break
            if done:
                break
    order = {x.id: i for i, x in enumerate(inst.lessons)}
    rows.sort(key=lambda a: order[a.lesson])
    return Solution(
        tuple(rows),
        {
            "solver": "greedy",
            "placed": len(rows),
            "lessons": len(inst.lessons),
            "wall_seconds": round(time.monotonic() - t0, 3),
        },
    )
