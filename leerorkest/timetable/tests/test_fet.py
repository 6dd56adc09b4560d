"""FET export and read-back: the file fet-cl accepts, and its timetable judged by our validator."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from leerorkest.timetable.fet import (
    export_fet,
    fet_available,
    fixed_teachers,
    read_fet_activities,
    run_fet,
)
from leerorkest.timetable.generate import generate
from leerorkest.timetable.greedy import solve_greedy
from leerorkest.timetable.instance import Assignment, Lesson, Solution, Teacher
from leerorkest.timetable.validator import check

from .test_timetable import GOOD, tiny

needs_fet = pytest.mark.skipif(not fet_available(), reason="fet-cl is not installed")


def _parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode())  # noqa: S314 - our own export


def _far_apart():
    """The tiny instance; the cello teacher gives L1 at A and L4 at B (35 minutes apart) and is
    free on Tuesday for exactly 45 + 35 + 30 minutes."""
    tight = Teacher("cello1", "Cello One", ("cello",), False, {"tue": ((510, 620),)}, 240, 600)
    inst = tiny(travel={("A", "B"): 35}, teachers=(tight, *tiny().teachers[1:]))
    return inst, Solution(GOOD)


def test_export_expresses_the_rules_fet_can():
    inst, sol = _far_apart()
    export = export_fet(inst, sol)
    root = _parse(export.xml)
    assert [d.findtext("Name") for d in root.find("Days_List").iter("Day")] == ["mon", "tue"]
    assert export.hours[0] == "08:30" and export.slot == 5
    activities = root.find("Activities_List").findall("Activity")
    assert len(activities) == len(inst.lessons)
    by_lesson = {a.findtext("Comments"): a for a in activities}
    assert by_lesson["L1"].findtext("Teacher") == "cello1"
    assert by_lesson["L1"].findtext("Duration") == "9"  # 45 minutes in 5-minute slots
    assert by_lesson["L3"].findall("Students")[0].text == "5A"  # orchestra: the class
    # Starting times only on the school's music day, ending inside its window.
    starts = {
        c.findtext("Activity_Id"): c for c in root.iter("ConstraintActivityPreferredStartingTimes")
    }
    l4 = starts[by_lesson["L4"].findtext("Id")]
    days = {p.findtext("Preferred_Starting_Day") for p in l4.iter("Preferred_Starting_Time")}
    hours = [p.findtext("Preferred_Starting_Hour") for p in l4.iter("Preferred_Starting_Time")]
    assert days == {"tue"} and hours[0] == "08:30" and hours[-1] == "14:30"
    # The orchestra may only use the aula; travel between the schools as ordered tag pairs.
    rooms = {c.findtext("Activity_Id"): c for c in root.iter("ConstraintActivityPreferredRoom")}
    assert rooms[by_lesson["L3"].findtext("Id")].findtext("Room") == "A2"
    travel = [
        (c.findtext("First_Activity_Tag"), c.findtext("Second_Activity_Tag"), c.findtext("MinGaps"))
        for c in root.iter("ConstraintTeacherMinGapsBetweenOrderedPairOfActivityTags")
        if c.findtext("Teacher") == "cello1"
    ]
    assert sorted(travel) == [("A", "B", "7"), ("B", "A", "7")]
    assert export.notes == []


def test_fixed_teachers_fall_back_to_preferred_and_qualified():
    inst = tiny(
        lessons=(
            *tiny().lessons,
            Lesson(
                "L5", "B", "lesson", "cello", 30, 2, pupils=("r1",), preferred_teacher="violin1"
            ),
        )
    )
    teachers = fixed_teachers(inst)
    assert teachers["L5"] == "violin1"
    assert teachers["L1"] == "cello1"  # first qualified
    assert fixed_teachers(inst, Solution(GOOD))["L2"] == "violin1"


def test_read_back_leaves_unplaced_activities_out():
    inst, sol = _far_apart()
    export = export_fet(inst, sol)
    ids = {lid: aid for aid, lid in export.lessons.items()}
    text = (
        "<?xml version='1.0'?><Activities_Timetable>"
        f"<Activity><Id>{ids['L1']}</Id><Day>tue</Day><Hour>09:00</Hour><Room>A1</Room></Activity>"
        f"<Activity><Id>{ids['L2']}</Id><Day></Day><Hour></Hour><Room></Room></Activity>"
        "</Activities_Timetable>"
    )
    read = read_fet_activities(inst, export, text)
    assert read.assignments == (Assignment("L1", "cello1", "A1", "tue", 540),)
    rep = check(inst, read)
    assert rep.hard["lesson_missing"] == 3


@needs_fet
def test_fet_solves_a_tiny_instance_with_travel():
    inst, sol = _far_apart()
    res = run_fet(inst, time_limit=10, teachers=sol)
    assert res.status == "complete", res.message
    rep = check(inst, res.solution)
    assert rep.hard_total == 0, rep.to_dict()
    by = {a.lesson: a for a in res.solution.assignments}
    l1, l4 = by["L1"], by["L4"]
    # cello1 teaches at A and B on Tuesday with exactly enough time to travel in between.
    assert (l1.start, l4.start) in ((510, 590), (575, 510))


@needs_fet
def test_fet_keeps_a_locked_lesson():
    lock = Assignment("L2", "violin1", "A1", "tue", 600)
    inst = tiny(locked=(lock,))
    res = run_fet(inst, time_limit=10, teachers=Solution(GOOD))
    assert res.status == "complete", res.message
    assert lock in res.solution.assignments
    assert check(inst, res.solution).hard_total == 0


@needs_fet
def test_fet_on_tier_s_has_no_hard_violations():
    inst = generate("S", 1)
    greedy = solve_greedy(inst)
    res = run_fet(inst, time_limit=20, teachers=greedy)
    assert res.status == "complete", res.message
    assert res.placed == len(inst.lessons)
    rep = check(inst, res.solution)
    assert rep.hard_total == 0, rep.to_dict()
    # The teachers are the greedy ones; FET chose times and rooms.
    teacher = {a.lesson: a.teacher for a in greedy.assignments}
    assert all(a.teacher == teacher[a.lesson] for a in res.solution.assignments)


@needs_fet
def test_cli_fet_export_and_solve(tmp_path, capsys):
    inst, fet, out = tmp_path / "s.json", tmp_path / "s.fet", tmp_path / "s.sol.json"
    call_command("timetable", "generate", "--tier", "S", "--seed", "2", "--out", str(inst))
    call_command("timetable", "fet-export", str(inst), "--out", str(fet))
    assert _parse(fet.read_text()).tag == "fet"
    call_command("timetable", "fet-solve", str(inst), "--time-limit", "20", "--out", str(out))
    assert "hard violations 0" in capsys.readouterr().out
    call_command("timetable", "check", str(inst), str(out))
    assert "hard violations: 0" in capsys.readouterr().out
