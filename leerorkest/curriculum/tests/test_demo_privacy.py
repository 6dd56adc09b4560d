"""The demo step on a small world, and the learning line in the privacy register and the
subject-access export."""

import random
from types import SimpleNamespace

import pytest

from leerorkest.curriculum.models import (
    GoalStatus,
    LearningGoal,
    LearningLine,
    Milestone,
    ProgressRecord,
)
from leerorkest.curriculum.progress import ProgressRow, record_progress
from leerorkest.curriculum.tests.builders import build_line
from leerorkest.demo.curriculum import MILESTONES, step_curriculum
from leerorkest.privacy import export, register
from leerorkest.programme.catalogue import INSTRUMENTS
from leerorkest.testing import instrument
from tests.access_teachers import build_lesson_group, current_year

pytestmark = pytest.mark.django_db


def test_demo_step_builds_the_example_line_and_progress(personas):
    instrument("violin")  # the catalogue is there
    groups = [
        build_lesson_group(personas.organisation, pupils=3, code=code)
        for code in ("violin", "trumpet")
    ]
    demo = SimpleNamespace(
        organisations={"programme": personas.organisation},
        years={0: current_year()},
        lesson_groups=groups,
        teachers=[],
        rng=random.Random(1),
    )
    step_curriculum(demo)
    line = LearningLine.objects.get(name="Voorbeeldleerlijn")
    assert line.is_example and line.is_public
    assert set(LearningGoal.objects.filter(line=line).values_list("year_group", flat=True)) == {
        3,
        4,
        5,
        6,
        7,
        8,
    }
    assert LearningGoal.objects.filter(line=line, year_group=5).count() >= 18
    assert set(MILESTONES) == {code for code, *_rest in INSTRUMENTS}
    assert Milestone.objects.filter(line=line).count() == 5 * len(INSTRUMENTS)
    records = ProgressRecord.objects.filter(lesson_group__in=groups)
    assert records.filter(term=1).count() == 6
    assert GoalStatus.objects.filter(record__in=records).exists()
    for record in records.select_related("milestone"):
        assert record.milestone is None or record.milestone.instrument_id == record.instrument_id


def test_progress_is_declared_and_exported(personas):
    declared = register.declared_models()
    assert {"curriculum.ProgressRecord", "curriculum.GoalStatus"} <= declared
    assert register.undeclared_personal_models() == []
    line = build_line(personas.organisation, personas.owner)
    group = build_lesson_group(personas.organisation, pupils=1)
    pupil = group.pupils.get()
    record_progress(
        lesson_group=group,
        school_year=group.school_year,
        term=1,
        rows=[
            ProgressRow(
                pupil=pupil,
                milestone=line.milestones.get(order=1),
                goals={line.goals.get(code="M5.1").pk: "mastered"},
                note="Speelt graag",
            )
        ],
        by=personas.owner,
    )
    data = export.build(pupil)
    [row] = data["learning_progress"]
    assert row["milestone_notes"] == "notes 1"
    assert row["goals"] == {"M5.1": "mastered"}
    assert row["note"] == "Speelt graag"
