"""Tests of the database-independent timetable core: format, validator, solvers, CLI."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leerorkest.timetable.generate import generate
from leerorkest.timetable.greedy import solve_greedy
from leerorkest.timetable.instance import (
    Assignment,
    Instance,
    InstanceError,
    Lesson,
    Room,
    School,
    Solution,
    Teacher,
    estimate_travel_minutes,
)
from leerorkest.timetable.solver import (
    complete_hint,
    explain,
    model_objective,
    school_bound,
    simple_bounds,
    solve,
)
from leerorkest.timetable.validator import check

DAY = {"mon": ((480, 960),), "tue": ((480, 840),)}


def tiny(**overrides) -> Instance:
    """Two schools on Tuesday, three teachers, three lessons."""
    fields = dict(  # noqa: C408
        days=("mon", "tue"),
        schools=(
            School("A", "De Regenboog", 52.31, 4.97, ("tue",), {"tue": (510, 900)}),
            School("B", "Het Palet", 52.37, 4.80, ("tue",), {"tue": (510, 900)}),
        ),
        rooms=(
            Room("A1", "A", 6),
            Room("A2", "A", 30, ("orchestra",)),
            Room("B1", "B", 6),
        ),
        teachers=(
            Teacher("cello1", "Cello One", ("cello",), False, DAY, 240, 600),
            Teacher("violin1", "Violin One", ("violin", "cello"), False, DAY, 240, 600),
            Teacher("cond", "Conductor", ("violin",), True, DAY, 240, 600),
        ),
        lessons=(
            Lesson("L1", "A", "lesson", "cello", 45, 4, pupils=("p1", "p2", "p3", "p4")),
            Lesson("L2", "A", "lesson", "violin", 45, 4, pupils=("p5", "p6", "p7", "p8")),
            Lesson("L3", "A", "orchestra", None, 45, 8, classes=("5A",), room_feature="orchestra"),
            Lesson("L4", "B", "lesson", "cello", 30, 3, pupils=("q1", "q2", "q3")),
        ),
        classes={"5A": ("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8")},
    )
    fields.update(overrides)
    return Instance(**fields)


GOOD = (
    Assignment("L1", "cello1", "A1", "tue", 510),
    Assignment("L2", "violin1", "A1", "tue", 555),
    Assignment("L3", "cond", "A2", "tue", 600),
    Assignment("L4", "cello1", "B1", "tue", 720),
)


def sol(*changes: Assignment, drop: str | None = None, add: Assignment | None = None) -> Solution:
    by = {a.lesson: a for a in GOOD}
    for c in changes:
        by[c.lesson] = c
    rows = [a for a in by.values() if a.lesson != drop]
    if add:
        rows.append(add)
    return Solution(tuple(rows))


# ---- format ------------------------------------------------------------------------------


def test_round_trip_json():
    inst = generate("S", 3)
    data = json.loads(json.dumps(inst.to_json()))
    assert data["format"] == "leerorkest-timetable" and data["version"] == 1
    again = Instance.from_json(data)
    assert again.to_json() == inst.to_json()
    s = Solution(GOOD, {"solver": "x"})
    assert Solution.from_json(json.loads(json.dumps(s.to_json()))) == s


def test_travel_estimate_and_override():
    inst = tiny()
    estimate = inst.travel_minutes("A", "B")
    assert 40 <= estimate <= 90  # ~12.5 km at 15 km/h with detour
    assert inst.travel_minutes("A", "A") == 0
    assert tiny(travel={("A", "B"): 20}).travel_minutes("B", "A") == 20


def test_public_transport_is_slower_for_a_short_hop_and_can_be_quicker_across_town():
    near_a = School("N1", "Near one", 52.3700, 4.9000, ("tue",), {"tue": (480, 900)})
    near_b = School("N2", "Near two", 52.3745, 4.9000, ("tue",), {"tue": (480, 900)})
    far_a, far_b = tiny().schools
    # About 0.5 km: 3 minutes on a bicycle; by transit the walk (8 min) beats tram and waiting.
    assert estimate_travel_minutes(near_a, near_b) == 3
    assert estimate_travel_minutes(near_a, near_b, "transit") == 8
    # About 13 km straight, 17 km of road: 70 minutes cycling, 10 + 53 by tram and metro.
    assert estimate_travel_minutes(far_a, far_b) == 70
    assert estimate_travel_minutes(far_a, far_b, "transit") == 63
    # A known travel time holds whatever the mode.
    assert tiny(travel={("A", "B"): 20}).travel_minutes("A", "B", "transit") == 20


def test_the_validator_gives_each_teacher_their_own_travel_time():
    schools = (
        School("N1", "Near one", 52.3700, 4.9000, ("tue",), {"tue": (480, 900)}),
        School("N2", "Near two", 52.3745, 4.9000, ("tue",), {"tue": (480, 900)}),
    )
    lessons = (
        Lesson("L1", "N1", "lesson", "cello", 45, 2, pupils=("p1", "p2")),
        Lesson("L2", "N2", "lesson", "cello", 45, 2, pupils=("p3", "p4")),
    )
    rows = Solution(
        (Assignment("L1", "t", "R1", "tue", 510), Assignment("L2", "t", "R2", "tue", 560))
    )

    def by(mode):
        teacher = Teacher("t", "T", ("cello",), False, DAY, 240, 600, travel=mode)
        return tiny(
            schools=schools,
            rooms=(Room("R1", "N1", 6), Room("R2", "N2", 6)),
            teachers=(teacher,),
            lessons=lessons,
            classes={},
        )

    assert check(by("bicycle"), rows).hard_total == 0  # 5 minutes' gap, 3 by bike
    hard = check(by("transit"), rows).to_dict()["hard"]
    assert {kind: n for kind, n in hard.items() if n} == {"travel_time": 1}  # 8 on foot
    data = by("transit").to_json()
    assert data["teachers"][0]["travel"] == "transit"
    assert Instance.from_json(data).teachers[0].travel == "transit"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["lessons"][1].update(room_feature="harp"), "lessons[1].room_feature: unknown room kind 'harp'"),  # noqa: E501
        (lambda d: d["lessons"][0].update(school="Z"), "lessons[0].school: unknown school 'Z'"),
        (lambda d: d["rooms"][2].update(school="Q"), "rooms[2].school: unknown school 'Q'"),
        (lambda d: d["schools"][0].update(music_days=["sun"]), "schools[0].music_days: unknown day 'sun'"),  # noqa: E501
        (lambda d: d["teachers"][0]["availability"].update(fri=[[1, 2]]), "teachers[0].availability: unknown day 'fri'"),  # noqa: E501
        (lambda d: d["lessons"][0].update(preferred_teacher="nobody"), "lessons[0].preferred_teacher: unknown teacher 'nobody'"),  # noqa: E501
        (lambda d: d["lessons"][0].pop("duration"), "lessons[0]: missing field 'duration'"),
        (lambda d: d.update(version=7), "version: unsupported version 7"),
        (lambda d: d["teachers"][1].update(travel="car"), "teachers[1].travel: expected one of bicycle, transit, got 'car'"),  # noqa: E501
        (lambda d: d.update(locked=[{"lesson": "L1", "teacher": "x", "room": "A1", "day": "tue", "start": 1}]), "locked[0].teacher: unknown teacher 'x'"),  # noqa: E501
    ],
)  # fmt: skip
def test_reference_errors_name_the_path(mutate, message):
    data = json.loads(json.dumps(tiny().to_json()))
    mutate(data)
    with pytest.raises(InstanceError) as exc:
        Instance.from_json(data)
    assert str(exc.value) == message


def test_a_partial_hint_is_completed_around_what_it_has():
    inst = tiny()
    partial = Solution(GOOD[:3])  # L4's teacher left, say
    filled = complete_hint(inst, partial)
    assert len(filled.assignments) == 4
    assert set(GOOD[:3]) <= set(filled.assignments)
    assert check(inst, filled).hard_total == 0
    # Nothing to add: the hint as it was.
    assert complete_hint(tiny(lessons=tiny().lessons[:3]), partial) is partial


# ---- validator ---------------------------------------------------------------------------


def test_good_solution_has_no_hard_violations():
    rep = check(tiny(), sol())
    assert rep.hard_total == 0, rep.to_dict()
    d = rep.to_dict()
    assert d["soft"]["school_visits"] == 4
    assert d["soft"]["travel_minutes"] == tiny().travel_minutes("A", "B") > 0


@pytest.mark.parametrize(
    ("solution", "kind"),
    [
        (sol(drop="L4"), "lesson_missing"),
        (sol(add=dataclasses.replace(GOOD[0], start=780)), "lesson_placed_twice"),
        (sol(Assignment("L1", "cond", "A1", "tue", 510)), "unqualified_teacher"),
        (sol(Assignment("L3", "violin1", "A2", "tue", 600)), "unqualified_teacher"),
        (sol(Assignment("L1", "violin1", "A2", "tue", 530)), "teacher_double_booked"),
        (sol(Assignment("L2", "violin1", "A1", "tue", 530)), "room_double_booked"),
        (sol(Assignment("L3", "cond", "A2", "tue", 520)), "pupil_overlap"),
        (sol(Assignment("L4", "cello1", "B1", "tue", 830)), "teacher_unavailable"),
        (sol(Assignment("L1", "cello1", "A1", "tue", 500)), "outside_school_window"),
        (sol(Assignment("L4", "cello1", "B1", "mon", 720)), "outside_school_window"),
        (sol(Assignment("L4", "cello1", "B1", "tue", 560)), "travel_time"),
        (sol(Assignment("L2", "violin1", "B1", "tue", 555)), "room_unsuitable"),
        (sol(Assignment("L3", "cond", "A1", "tue", 600)), "room_unsuitable"),
        (sol(Assignment("L1", "ghost", "A1", "tue", 510)), "unknown_reference"),
    ],
)  # fmt: skip
def test_validator_catches_each_kind(solution, kind):
    rep = check(tiny(), solution)
    if kind is None:
        assert rep.hard_total == 0
    else:
        assert rep.hard[kind] >= 1, rep.to_dict()
        if kind != "lesson_placed_twice":  # a second copy also clashes with other rules
            assert rep.hard_total == rep.hard[kind], rep.to_dict()


def test_validator_working_hour_limits():
    short = tiny(
        teachers=(
            Teacher("cello1", "Cello One", ("cello",), False, DAY, 60, 70),
            Teacher("violin1", "Violin One", ("violin", "cello"), False, DAY, 240, 600),
            Teacher("cond", "Conductor", ("violin",), True, DAY, 240, 600),
        )
    )
    rep = check(short, sol())
    assert rep.hard["over_max_minutes_day"] == 1
    assert rep.hard["over_max_minutes_week"] == 1


def test_validator_locked_and_published():
    inst = tiny(locked=(GOOD[0],), published=(GOOD[1],))
    moved = sol(
        Assignment("L1", "cello1", "A1", "tue", 780), Assignment("L2", "violin1", "A1", "tue", 700)
    )
    rep = check(inst, moved)
    assert rep.hard["locked_changed"] == 1
    assert rep.soft["published_changes"] == 1
    assert check(inst, sol()).hard_total == 0


# ---- solvers -----------------------------------------------------------------------------


def test_solver_tier_s_has_no_hard_violations():
    inst = generate("S", 1)
    seen = []
    res = solve(inst, time_limit=4, threads=2, seed=1, on_progress=lambda *r: seen.append(r))
    assert res.status in ("OPTIMAL", "FEASIBLE")
    assert seen and res.first_feasible_seconds is not None
    assert res.bound <= res.objective
    rep = check(inst, res.solution)
    assert rep.hard_total == 0, rep.to_dict()


def test_greedy_output_is_validated():
    inst = generate("S", 2)
    greedy = solve_greedy(inst)
    rep = check(inst, greedy)
    missing = len(inst.lessons) - len(greedy.assignments)
    assert rep.hard["lesson_missing"] == missing
    assert rep.hard_total == missing
    # A starved instance: the greedy leaves lessons out and the validator counts them.
    starved = dataclasses.replace(inst, teachers=inst.teachers[:8])
    out = solve_greedy(starved)
    rep = check(starved, out)
    assert rep.hard["lesson_missing"] == len(starved.lessons) - len(out.assignments) > 0


def test_infeasible_instance_is_explained_in_words():
    harpist = Teacher("harp1", "Harpist", ("harp",), False, DAY, 120, 600)
    harp = tuple(Lesson(f"H{i}", "A", "lesson", "harp", 45, 2, pupils=(f"h{i}",)) for i in range(3))
    inst = tiny(teachers=(*tiny().teachers, harpist), lessons=(*tiny().lessons, *harp))
    res = solve(inst, time_limit=2, threads=2)
    assert res.status == "INFEASIBLE" and res.solution is None
    assert res.explanation == explain(inst)
    assert res.explanation == [
        "Tuesday at De Regenboog needs 3 harp lessons (135 minutes); "
        "only one harp teacher is free that day (at most 120 minutes)."
    ]


def test_solver_keeps_locks_and_published():
    inst = tiny(
        locked=(Assignment("L4", "cello1", "B1", "tue", 800),),
        published=(Assignment("L2", "violin1", "A1", "tue", 700),),
    )
    res = solve(inst, time_limit=3, threads=2)
    assert res.status == "OPTIMAL"
    by = {a.lesson: a for a in res.solution.assignments}
    assert by["L4"] == inst.locked[0]
    assert by["L2"] == inst.published[0]
    assert check(inst, res.solution).hard_total == 0


def test_on_solution_receives_valid_timetables():
    inst = generate("S", 1)
    got, progress = [], []
    res = solve(
        inst,
        time_limit=4,
        threads=2,
        seed=1,
        on_progress=lambda *row: progress.append(row),
        on_solution=got.append,
        solution_interval=1.0,
    )
    assert res.status == "FEASIBLE" and got
    assert len(got) <= len(progress) and len(got) <= 4 / 1.0 + 2  # throttled
    for sol in got:
        rep = check(inst, sol)
        assert rep.hard_total == 0, rep.to_dict()
        assert sol.stats["solver"] == "cp-sat" and "objective" in sol.stats
    # The last one handed over is the final timetable.
    assert got[-1].assignments == res.solution.assignments
    assert progress[-1][1] == res.objective
    assert [row[1] for row in progress] == sorted((row[1] for row in progress), reverse=True)


def test_restricted_candidates_on_tier_m_stay_valid():
    inst = generate("M", 1)
    res = solve(inst, time_limit=8, threads=2, seed=1, lns=False, max_candidates=3)
    assert res.solution is not None, res.status
    rep = check(inst, res.solution)
    assert rep.hard_total == 0, rep.to_dict()
    assert res.model["max_candidates"] == 3 and res.model["hint"] == "complete"
    # At most the preferred and hinted teacher-days plus three others per lesson.
    assert res.model["teacher_candidates"] <= 5 * len(inst.lessons)
    # Only the per-school bounds count: a restricted model proves nothing about the rest.
    assert res.bound is not None and res.bound <= res.objective


def test_neighbourhood_search_improves_the_greedy_start():
    inst = generate("M", 2)
    greedy = solve_greedy(inst)
    res = solve(inst, time_limit=6, threads=2, seed=1)
    assert res.model["lns"]["neighbourhoods"] > 0
    rep = check(inst, res.solution)
    assert rep.hard_total == 0, rep.to_dict()
    start = model_objective(inst, {a.lesson: a for a in greedy.assignments}, 5)
    assert res.progress[0][1] == start  # the greedy timetable is the first one
    assert res.objective == model_objective(
        inst, {a.lesson: a for a in res.solution.assignments}, 5
    )
    assert res.objective < start
    assert res.bound <= res.objective


def test_neighbourhood_search_without_a_start_uses_the_full_model():
    inst = generate("S", 3)
    res = solve(inst, time_limit=6, threads=2, seed=1, greedy_hint=False, lns=True)
    assert res.solution is not None, res.status
    assert res.model["hint"] == "none"
    assert check(inst, res.solution).hard_total == 0


def test_objective_and_bounds_agree_on_a_small_instance():
    inst = tiny()
    res = solve(inst, time_limit=5, threads=2)
    assert res.status == "OPTIMAL"
    rows = {a.lesson: a for a in res.solution.assignments}
    assert res.objective == model_objective(inst, rows, 5)
    parts = simple_bounds(inst)
    exact = {sid: school_bound(inst, sid, 2.0) for sid in parts}
    assert all(exact[sid] >= parts[sid] for sid in parts)
    assert sum(exact.values()) <= res.objective


@pytest.mark.parametrize(("tier", "seed"), [("L", 1), ("XL", 1), ("XL", 3)])
def test_greedy_places_every_lesson_of_large_tiers(tier, seed):
    inst = generate(tier, seed)
    greedy = solve_greedy(inst)
    assert len(greedy.assignments) == len(inst.lessons)
    assert check(inst, greedy).hard_total == 0


# ---- command line ------------------------------------------------------------------------


def test_cli_generate_solve_check(tmp_path, capsys):
    inst, out = tmp_path / "s.json", tmp_path / "s.sol.json"
    call_command("timetable", "generate", "--tier", "S", "--seed", "1", "--out", str(inst))
    call_command(
        "timetable", "solve", str(inst), "--time-limit", "3", "--threads", "2", "--out", str(out)
    )
    call_command("timetable", "check", str(inst), str(out))
    text = capsys.readouterr().out
    assert "hard violations: 0" in text and "soft score:" in text
    # A broken solution: exit code 1.
    data = json.loads(out.read_text())
    data["assignments"].pop()
    out.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as exc:
        call_command("timetable", "check", str(inst), str(out))
    assert exc.value.code == 1
    assert "lesson_missing: 1" in capsys.readouterr().out


def test_cli_one_line_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(CommandError, match=r"bad.json: invalid JSON at line 1"):
        call_command("timetable", "check", str(bad), str(bad))
    with pytest.raises(CommandError, match=r"missing.json: cannot read"):
        call_command("timetable", "solve", str(tmp_path / "missing.json"), "--out", str(bad))
    bad.write_text(json.dumps({"format": "leerorkest-timetable", "version": 1, "days": []}))
    with pytest.raises(CommandError, match=r"^schools: expected a list$"):
        call_command("timetable", "check", str(bad), str(bad))


def test_documented_example_is_valid():
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[3] / "docs" / "timetable-format.md"
    blocks = re.findall(r"```json\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    inst = Instance.from_json(json.loads(blocks[0]))
    solution = Solution.from_json(json.loads(blocks[1]))
    assert check(inst, solution).hard_total == 0
