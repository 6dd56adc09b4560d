"""Greedy baseline: place the hardest lessons first at the first position that breaks no hard rule.

It never breaks a hard rule; lessons it cannot place are left out (the validator counts them
as ``lesson_missing``). Same output shape as the CP-SAT solver.

Plain lessons take the best-fitting room (fewest features, smallest capacity) so the aula and
the harp/percussion room stay free for the lessons that need them. If a pass leaves lessons
out, the next pass places those first ("squeaky wheel"); the pass with the fewest missing
lessons wins. Its result satisfies the CP-SAT model as well (a teacher's lessons at one school
on one day form one visit), so the solver can start from it.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .explain import candidates
from .instance import Assignment, Instance, Lesson, Solution

STEP = 5  # minutes between tried start times
PASSES = 4  # passes at most while lessons are left out


def solve_greedy(inst: Instance, passes: int = PASSES) -> Solution:
    t0 = time.monotonic()
    locked = {a.lesson for a in inst.locked}
    todo = [x for x in inst.lessons if x.id not in locked]
    cands = {x.id: candidates(inst, x) for x in todo}
    rooms_of = {
        x.id: sorted(inst.suitable_rooms(x), key=lambda r: (len(r.features), r.capacity))
        for x in todo
    }
    todo.sort(key=lambda x: (x.kind != "orchestra", len(cands[x.id]), -x.duration, x.id))
    best: list[Assignment] | None = None
    first: list[Lesson] = []
    for _ in range(max(1, passes)):
        front = {x.id for x in first}
        order = first + [x for x in todo if x.id not in front]
        rows = _pass(inst, order, cands, rooms_of)
        if best is None or len(rows) > len(best):
            best = rows
        placed = {a.lesson for a in rows}
        missing = [x for x in order if x.id not in placed]
        if not missing:
            break
        first = missing + [x for x in first if x.id not in {m.id for m in missing}]
    position = {x.id: i for i, x in enumerate(inst.lessons)}
    best.sort(key=lambda a: position[a.lesson])
    return Solution(
        tuple(best),
        {
            "solver": "greedy",
            "placed": len(best),
            "lessons": len(inst.lessons),
            "wall_seconds": round(time.monotonic() - t0, 3),
        },
    )


def _pass(inst: Instance, order: list[Lesson], cands: dict, rooms_of: dict) -> list[Assignment]:
    teacher_day = defaultdict(list)  # (teacher, day) -> [(start, end, school)]
    room_day = defaultdict(list)  # (room, day) -> [(start, end)]
    key_day = defaultdict(list)  # (attendee, day) -> [(start, end)]
    week = defaultdict(int)
    rows: list[Assignment] = []

    def free(busy, s, e):
        return all(e <= b0 or b1 <= s for b0, b1 in busy)

    def travel_ok(items, s, e, school, mode):
        for b0, b1, other in items:
            gap = inst.travel_minutes(other, school, mode)
            if not (b1 + gap <= s or e + gap <= b0):
                return False
        # Lessons at one school form one visit: never leave a school and come back the same
        # day (the CP-SAT model has the same rule, so the greedy result is a valid hint). The
        # spans of the visits, with the new lesson added, must not interleave.
        spans = {school: (s, e)}
        for b0, b1, other in items:
            lo, hi = spans.get(other, (b0, b1))
            spans[other] = (min(lo, b0), max(hi, b1))
        ordered = sorted(spans.values())
        return all(ordered[i][1] <= ordered[i + 1][0] for i in range(len(ordered) - 1))

    def place(lesson, a: Assignment):
        e = a.start + lesson.duration
        teacher_day[(a.teacher, a.day)].append((a.start, e, lesson.school))
        room_day[(a.room, a.day)].append((a.start, e))
        for k in inst.attendees(lesson):
            key_day[(k, a.day)].append((a.start, e))
        week[a.teacher] += lesson.duration
        rows.append(a)

    for a in inst.locked:
        place(inst.lesson(a.lesson), a)
    for lesson in order:
        rooms = rooms_of[lesson.id]
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
                    if not travel_ok(busy, s, e, lesson.school, t.travel):
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
    return rows
