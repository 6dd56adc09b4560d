"""`leerorkest timetable export`: the planning instance of a programme's data, readable by the
solver and the validator, with the published week to stay close to."""

import json

import pytest
from django.core.management import CommandError, call_command

from leerorkest.timetable import validator
from leerorkest.timetable.instance import Solution, load_instance
from leerorkest.timetable.tests.builders import published_week


@pytest.mark.django_db
def test_export_writes_the_programmes_instance(personas, tmp_path):
    week = published_week(personas.organisation, owner=personas.owner, music_day=1)
    out = tmp_path / "instance.json"
    call_command("timetable", "export", "--programme", personas.organisation.slug, "--out", out)
    data = json.loads(out.read_text())
    assert data["format"] == "leerorkest-timetable"
    inst = load_instance(out)
    assert {lesson.id for lesson in inst.lessons} == {lesson.key for lesson in week.lessons}
    assert inst.school(f"s{week.school.pk}").music_days == ("tue",)
    teacher = inst.teacher(f"t{week.teacher.pk}")
    assert teacher.conductor and "violin" in teacher.instruments
    assert teacher.travel == "bicycle"
    # The published week comes along, and it is itself a valid answer but for availability,
    # which the builder's teachers never gave.
    assert len(inst.published) == 3
    report = validator.check(inst, Solution(inst.published))
    assert set(report.hard) <= {"teacher_unavailable"}


@pytest.mark.django_db
def test_a_teacher_on_public_transport_is_exported_so(personas, tmp_path):
    week = published_week(personas.organisation, owner=personas.owner)
    week.teacher.travel_mode = "transit"
    week.teacher.save(update_fields=["travel_mode"])
    out = tmp_path / "instance.json"
    call_command("timetable", "export", "--programme", personas.organisation.slug, "--out", out)
    assert load_instance(out).teacher(f"t{week.teacher.pk}").travel == "transit"


@pytest.mark.django_db
def test_export_of_an_unknown_programme_says_so(tmp_path):
    with pytest.raises(CommandError, match="no programme"):
        call_command("timetable", "export", "--programme", "nope", "--out", tmp_path / "x.json")
