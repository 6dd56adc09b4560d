"""Delivery and attendance counted on the reports' small world, with a timetable whose lessons,
registers and training are known one by one."""

from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from leerorkest.accounts.roles import Role
from leerorkest.programme.models import Ensemble, LessonGroup, TrainingRecord
from leerorkest.reports.delivery import delivery
from leerorkest.reports.scope import Period, Scope
from leerorkest.reports.tests.builders import build_world
from leerorkest.schools.models import SchoolParticipation
from leerorkest.testing import make_member, make_user
from leerorkest.timetable.models import AttendanceMark, LessonDate, PlannedLesson, Timetable
from tests.access_teachers import build_lesson_group, build_school, build_teacher

pytestmark = pytest.mark.django_db

GIVEN = LessonDate.Status.GIVEN
PRESENT, ABSENT, LATE, EXCUSED = (
    AttendanceMark.Status.PRESENT,
    AttendanceMark.Status.ABSENT,
    AttendanceMark.Status.LATE,
    AttendanceMark.Status.EXCUSED,
)


@dataclass
class Lessons:
    world: object
    viool: object  # teacher of Viool 6-1 at School A, covers once at School B
    trompet: object  # teacher of Trompet 6-1 at School B and the orchestra at School C
    trainer: object  # a teacher who only trained
    timetable: object


def _planned(timetable, title, teacher, *, school, group=None, ensemble=None):
    return PlannedLesson.objects.create(
        timetable=timetable,
        key=f"k{PlannedLesson.objects.count()}",
        kind="lesson" if group else "orchestra",
        lesson_group=group,
        ensemble=ensemble,
        school=school,
        title=title,
        teacher=teacher,
        minutes=45,
    )


def _date(planned, day, *, minutes=45, teacher=None, marks=(), **fields):
    lesson = LessonDate.objects.create(
        planned=planned,
        organisation=planned.timetable.organisation,
        date=day,
        starts_at=time(9, 0),
        minutes=minutes,
        teacher=teacher or planned.teacher,
        **fields,
    )
    for pupil, status in marks:
        AttendanceMark.objects.create(
            lesson_date=lesson, pupil=pupil, status=status, marked_by=_marker()
        )
    return lesson


def _marker():
    from leerorkest.accounts.models import User

    return User.objects.order_by("pk").first()


def _timetable(programme, year, owner):
    return Timetable.objects.create(
        organisation=programme,
        school_year=year,
        name="Rooster",
        status=Timetable.Status.PUBLISHED,
        created_by=owner,
    )


def build_lessons() -> Lessons:
    world = build_world()
    now, last = world.now, world.last
    a, b, c = (world.schools[k] for k in "abc")
    viool = build_teacher(world.programme, name="Docent Viool")
    trompet = build_teacher(world.programme, name="Docent Trompet", instruments=("trumpet",))
    trainer = build_teacher(world.programme, name="Docent Nieuw")
    SchoolParticipation.objects.filter(school=a, school_year=now).update(agreed_lessons=30)
    timetable = _timetable(world.programme, now, world.coordinator)
    group_a = LessonGroup.objects.get(school=a, school_year=now, name="Viool 6-1")
    group_b = LessonGroup.objects.get(school=b, school_year=now, name="Trompet 6-1")
    orchestra = Ensemble.objects.get(school=c, school_year=now)
    p_a = _planned(timetable, "Viool 6-1", viool, school=a, group=group_a)
    p_b = _planned(timetable, "Trompet 6-1", trompet, school=b, group=group_b)
    p_c = _planned(timetable, "Orkest", trompet, school=c, ensemble=orchestra)
    day = now.starts_on + timedelta(days=14)
    kids = world.pupils["stayers"]
    # School A: two lessons given (8 marks: 6 present or late), one cancelled by the school.
    _date(
        p_a,
        day,
        status=GIVEN,
        marks=[(kids[0], PRESENT), (kids[1], PRESENT), (kids[2], PRESENT), (kids[3], ABSENT)],
    )
    _date(
        p_a,
        day + timedelta(days=7),
        status=GIVEN,
        marks=[(kids[0], PRESENT), (kids[1], PRESENT), (kids[2], LATE), (kids[3], EXCUSED)],
    )
    _date(
        p_a,
        day + timedelta(days=14),
        status=LessonDate.Status.CANCELLED,
        cancelled_by=LessonDate.CancelledBy.SCHOOL,
    )
    # School B: one lesson of 60 minutes, one given by the violin teacher as cover.
    b_kid = world.pupils["b_stay"][0]
    _date(p_b, day, minutes=60, status=GIVEN, marks=[(b_kid, PRESENT)])
    _date(
        p_b,
        day + timedelta(days=7),
        teacher=viool,
        is_cover=True,
        status=GIVEN,
        marks=[(b_kid, ABSENT)],
    )
    # School C: a school orchestra rehearsal of 30 minutes, everyone there.
    _date(
        p_c,
        day,
        minutes=30,
        status=GIVEN,
        marks=[(p, PRESENT) for p in world.pupils["players"]],
    )
    # Last year: a lesson of last year's Viool 5-1, which this year's figures leave out.
    old = _timetable(world.programme, last, world.coordinator)
    group_old = LessonGroup.objects.get(school=a, school_year=last, name="Viool 5-1")
    p_old = _planned(old, "Viool 5-1", viool, school=a, group=group_old)
    _date(p_old, last.starts_on + timedelta(days=20), status=GIVEN, marks=[(kids[0], ABSENT)])
    # Another programme's lesson never counts.
    elsewhere = world.other.children.first().school
    stranger = build_teacher(world.other, name="Docent Elders")
    group_e = LessonGroup.objects.get(school=elsewhere)
    p_e = _planned(
        _timetable(world.other, now, world.coordinator),
        "Viool 5-1",
        stranger,
        school=elsewhere,
        group=group_e,
    )
    _date(p_e, day, status=GIVEN, marks=[(group_e.members.first().pupil, PRESENT)])
    # Training: two this year and one last year for the violin teacher; one for a newcomer.
    TrainingRecord.objects.create(
        teacher=viool, title="Groepsles", attended_on=day, hours=Decimal("3")
    )
    TrainingRecord.objects.create(
        teacher=viool, title="Orkestspel", attended_on=day, hours=Decimal("1.5")
    )
    TrainingRecord.objects.create(
        teacher=viool, title="Oud", attended_on=last.starts_on, hours=Decimal("8")
    )
    TrainingRecord.objects.create(
        teacher=trainer, title="Intro", attended_on=day, hours=Decimal("2")
    )
    TrainingRecord.objects.create(
        teacher=stranger, title="Elders", attended_on=day, hours=Decimal("4")
    )
    return Lessons(world, viool, trompet, trainer, timetable)


@pytest.fixture
def lessons():
    return build_lessons()


def rates(rows):
    return {row.label: (row.marks, row.attended) for row in rows}


def test_attendance_per_school_group_and_teacher(lessons):
    world = lessons.world
    result = delivery(Scope((world.programme,)), Period.of_year(world.now), today=world.now.ends_on)
    # 8 + 2 + 3 marks; present or late: 6 + 1 + 3.
    assert (result.marks, result.attended) == (13, 10)
    assert result.pct == 77
    assert rates(result.by_school) == {"School A": (8, 6), "School B": (2, 1), "School C": (3, 3)}
    assert rates(result.by_group) == {
        "Viool 6-1, School A": (8, 6),
        "Trompet 6-1, School B": (2, 1),
    }
    # The cover lesson's marks are the substitute's.
    assert rates(result.by_teacher) == {"Docent Viool": (9, 6), "Docent Trompet": (4, 4)}
    # Best attended first.
    assert [row.label for row in result.by_school] == ["School C", "School A", "School B"]
    # Equal to counting the marks directly.
    direct = AttendanceMark.objects.filter(
        lesson_date__organisation=world.programme,
        lesson_date__date__range=(world.now.starts_on, world.now.ends_on),
    )
    assert result.marks == direct.count()
    assert result.attended == direct.filter(status__in=[PRESENT, LATE]).count()


def test_lessons_against_agreed_per_school_and_year(lessons):
    world = lessons.world
    result = delivery(Scope((world.programme,)), Period.of_year(world.now), today=world.now.ends_on)
    assert result.lessons_given == 5
    [year] = result.years
    assert year.year == world.now
    schools = {row.school: row for row in year.schools}
    # School A has two lesson groups this year (violin and cello), 30 lessons agreed for each.
    assert (schools["School A"].groups, schools["School A"].agreed) == (2, 60)
    assert (schools["School A"].given, schools["School A"].cancelled_school) == (2, 1)
    assert (schools["School B"].given, schools["School B"].agreed) == (2, 32)  # the default
    # The orchestra is no lesson group: School C has none this year.
    assert "School C" not in schools
    given_in_groups = LessonDate.objects.filter(
        organisation=world.programme,
        status=GIVEN,
        planned__lesson_group__school_year=world.now,
    ).count()
    assert year.total.given == given_in_groups == 4


def test_teacher_hours_and_training_in_the_period(lessons):
    world = lessons.world
    result = delivery(Scope((world.programme,)), Period.of_year(world.now), today=world.now.ends_on)
    teachers = {t.name: t for t in result.teachers}
    assert set(teachers) == {"Docent Viool", "Docent Trompet", "Docent Nieuw"}
    viool = teachers["Docent Viool"]
    assert (viool.lessons, viool.minutes, viool.hours) == (3, 135, 2.25)
    assert (viool.trainings, viool.training_hours) == (2, Decimal("4.5"))
    assert (teachers["Docent Trompet"].lessons, teachers["Docent Trompet"].minutes) == (2, 90)
    assert (teachers["Docent Nieuw"].lessons, teachers["Docent Nieuw"].trainings) == (0, 1)
    assert result.training_hours == Decimal("6.5")
    assert result.minutes == 225
    # Last year: one lesson and the old training only.
    old = delivery(Scope((world.programme,)), Period.of_year(world.last), today=world.now.ends_on)
    assert [(t.name, t.lessons, t.trainings) for t in old.teachers] == [("Docent Viool", 1, 1)]
    assert (old.marks, old.attended) == (1, 0)


def test_one_school_narrows_every_table(lessons):
    world = lessons.world
    scope = Scope((world.programme,), school=world.schools["b"])
    result = delivery(scope, Period.of_year(world.now), today=world.now.ends_on)
    assert rates(result.by_school) == {"School B": (2, 1)}
    assert [row.school for row in result.years[0].schools] == ["School B"]
    # Teachers who taught there, with their training; the newcomer taught nowhere.
    assert {(t.name, t.minutes, t.trainings) for t in result.teachers} == {
        ("Docent Trompet", 60, 0),
        ("Docent Viool", 45, 2),
    }


def test_one_kind_of_playing(lessons):
    world = lessons.world
    scope = Scope((world.programme,), kind="school_orchestra")
    result = delivery(scope, Period.of_year(world.now), today=world.now.ends_on)
    assert rates(result.by_school) == {"School C": (3, 3)}
    assert result.years == []  # agreements are about lesson groups


def test_page_for_the_coordinator_with_links(client, lessons):
    world = lessons.world
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:delivery"), {"year": world.now.starts_on.year})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="lessons-given">5<' in body and 'id="attendance-rate">77%<' in body
    result = response.context["result"]
    school_a = next(r for r in result.by_school if r.label == "School A")
    assert school_a.url == f"?year={world.now.starts_on.year}&school={world.schools['a'].pk}"
    teacher = next(t for t in result.teachers if t.name == "Docent Viool")
    assert teacher.url == reverse("programme:teacher_detail", args=[lessons.viool.pk])
    row = result.years[0].schools[0]
    assert row.url == (
        reverse("timetable:delivery_school", args=[row.school_id])
        + f"?year={world.now.starts_on.year}"
    )
    assert 'width="75"' in body  # School A's attendance bar, as an SVG attribute
    assert 'style="' not in body.split("<main", 1)[-1]
    # The row's link narrows the page to that school.
    narrowed = client.get(reverse("reports:delivery") + school_a.url)
    assert narrowed.status_code == 200
    assert rates(narrowed.context["result"].by_school) == {"School A": (8, 6)}


def test_a_filter_outside_the_programme_is_refused_with_a_reason(client, lessons):
    world = lessons.world
    client.force_login(world.coordinator)
    other_school = world.other.children.first().school
    response = client.get(reverse("reports:delivery"), {"school": other_school.pk})
    assert response.status_code == 400
    assert "Unknown school" in response.content.decode()
    # The whole programme instead, never the other school.
    assert {r.label for r in response.context["result"].by_school} == {
        "School A",
        "School B",
        "School C",
    }
    response = client.get(reverse("reports:delivery"), {"programme": world.other.pk})
    assert response.status_code == 400
    assert "Unknown programme" in response.content.decode()
    response = client.get(reverse("reports:delivery"), {"from": "2025-13-01", "to": "x"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_who_may_see_the_dashboard(client, lessons):
    world = lessons.world
    url = reverse("reports:delivery")
    assert client.get(url).status_code == 302
    client.force_login(make_member(world.programme, Role.TEACHER))
    assert client.get(url).status_code == 403
    client.force_login(make_user(is_platform_admin=True))
    response = client.get(url, {"year": world.now.starts_on.year})
    assert response.status_code == 200
    assert response.context["result"].marks == 13 + 1  # every programme
    menu = client.get("/").content.decode()
    assert reverse("reports:delivery") in menu


def test_constant_queries_for_more_rows(client, lessons, django_assert_max_num_queries):
    world = lessons.world
    client.force_login(world.coordinator)
    url = reverse("reports:delivery")
    params = {"year": world.now.starts_on.year}
    client.get(url, params)
    with django_assert_max_num_queries(40) as few:
        client.get(url, params)
    day = world.now.starts_on + timedelta(days=21)
    for n in range(4):
        school = build_school(world.programme, name=f"Extra {n}", year=world.now)
        teacher = build_teacher(world.programme, name=f"Extra docent {n}")
        group = build_lesson_group(world.programme, school=school, teacher=teacher)
        planned = _planned(lessons.timetable, group.name, teacher, school=school, group=group)
        _date(
            planned,
            day,
            status=GIVEN,
            marks=[(m.pupil, PRESENT) for m in group.members.all()],
        )
        TrainingRecord.objects.create(teacher=teacher, title="Intro", attended_on=day, hours=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    assert len(response.context["result"].by_school) == 3 + 4
    assert len(response.context["result"].teachers) == 3 + 4


def test_today_splits_not_recorded_from_still_to_come(lessons):
    world = lessons.world
    scope = Scope((world.programme,), school=world.schools["a"])
    planned = LessonDate.objects.filter(planned__lesson_group__name="Viool 6-1").first().planned
    future = world.now.starts_on + timedelta(days=60)
    _date(planned, future)
    early = delivery(scope, Period.of_year(world.now), today=future - timedelta(days=1))
    late = delivery(scope, Period.of_year(world.now), today=future)
    a_early, a_late = early.years[0].schools[0], late.years[0].schools[0]
    assert (a_early.to_come, a_early.not_recorded) == (1, 0)
    assert (a_late.to_come, a_late.not_recorded) == (0, 1)
