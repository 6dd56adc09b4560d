"""Proof of delivery per school and lesson group, teaching hours per teacher and month, and both
as XLSX files."""

import io
from datetime import date, time

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leerorkest.schools.models import SchoolParticipation
from leerorkest.timetable import delivery
from leerorkest.timetable.models import LessonDate
from leerorkest.timetable.tests.builders import published_week
from tests.access_teachers import build_lesson_group, build_school, current_year

GIVEN = LessonDate.Status.GIVEN
CANCELLED = LessonDate.Status.CANCELLED
BY = LessonDate.CancelledBy


@pytest.fixture(autouse=True)
def in_english(client):
    """Some tests read the English wording of the files."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def _week(personas, **kwargs):
    return published_week(
        personas.organisation, owner=personas.owner, teacher_user=personas.member, **kwargs
    )


def _dates(planned):
    return list(LessonDate.objects.filter(planned=planned).order_by("date"))


def _set(lesson_date, **fields):
    for name, value in fields.items():
        setattr(lesson_date, name, value)
    lesson_date.save()


def _record_first_group(week):
    """On the first group's dates: three given (one by the cello colleague as cover), cancelled by
    the school, the teacher and the programme, two left without a register, and one school
    cancellation announced for later. Returns the dates and the "today" to count up to."""
    d = _dates(week.lessons[0])
    _set(d[0], status=GIVEN)
    _set(d[1], status=GIVEN)
    _set(d[2], status=GIVEN, teacher=week.colleague, is_cover=True)
    _set(d[3], status=CANCELLED, cancelled_by=BY.SCHOOL, cancel_reason="School trip")
    _set(d[4], status=CANCELLED, cancelled_by=BY.TEACHER, cancel_reason="Ill, no cover")
    _set(d[5], status=CANCELLED, cancelled_by=BY.PROGRAMME)
    _set(d[10], status=CANCELLED, cancelled_by=BY.SCHOOL, cancel_reason="Study day")
    # d[6] and d[7] stay planned: up to and including "today", so not recorded.
    return d, d[7].date


@pytest.mark.django_db
def test_counts_per_group_against_agreed(personas):
    week = _week(personas)
    year = current_year()
    d, today = _record_first_group(week)
    n = len(d)
    SchoolParticipation.objects.filter(school=week.school, school_year=year).update(
        agreed_lessons=n - 1
    )
    rows = delivery.group_rows(personas.organisation, year, today=today)
    first, second = rows
    assert (first.group_id, second.group_id) == (week.groups[0].pk, week.groups[1].pk)
    assert first.agreed == n - 1
    assert first.planned_year == n
    assert first.planned_to_date == 8
    assert first.given == 3
    assert first.given_by_cover == 1
    assert (first.cancelled_school, first.cancelled_teacher, first.cancelled_programme) == (
        2,
        1,
        1,
    )
    assert first.not_recorded == 2
    assert first.to_come == n - 9
    assert first.forecast == n - 4
    assert first.shortfall == 3
    by = {(g.name, g.is_cover): g.lessons for g in first.given_by}
    assert by == {("Docent Viool", False): 2, ("Docent Cello", True): 1}
    # The second group has everything still to come or unrecorded, and no shortfall.
    assert second.given == 0
    assert second.not_recorded == 8
    assert second.forecast == n
    assert second.shortfall == 0
    # The school adds up its groups; the orchestra is not a lesson group and stays out.
    (school,) = delivery.school_rows(rows)
    assert school.groups == 2
    assert school.agreed == 2 * (n - 1)
    assert school.planned_year == 2 * n
    assert school.given == 3
    assert school.shortfall == 3
    assert school.groups_short == 1


@pytest.mark.django_db
def test_shortfall_is_summed_per_group_and_a_group_without_dates_counts_fully(personas):
    week = _week(personas)
    year = current_year()
    n = len(_dates(week.lessons[0]))
    SchoolParticipation.objects.filter(school=week.school, school_year=year).update(
        agreed_lessons=n - 2
    )
    # A third group of the school that is not in the published timetable at all.
    extra = build_lesson_group(personas.organisation, school=week.school, name="Viool 5-3")
    rows = delivery.group_rows(personas.organisation, year, today=year.starts_on)
    assert [row.group_id for row in rows][-1] == extra.pk
    assert rows[-1].planned_year == 0
    assert rows[-1].shortfall == n - 2
    (school,) = delivery.school_rows(rows)
    # The two planned groups' extra lessons do not make up for the third group.
    assert school.shortfall == n - 2
    assert school.groups_short == 1
    # A school without a participation this year has no agreement to fall short of.
    SchoolParticipation.objects.filter(school=week.school).delete()
    rows = delivery.group_rows(personas.organisation, year, today=year.starts_on)
    assert {row.agreed for row in rows} == {None}
    assert delivery.school_rows(rows)[0].shortfall is None


@pytest.mark.django_db
def test_hours_count_for_who_gave_the_lesson_and_respect_month_boundaries(personas):
    week = _week(personas)
    start = current_year().starts_on.year
    LessonDate.objects.filter(planned__timetable=week.timetable).delete()
    first, second = week.lessons[0], week.lessons[1]

    def lesson(planned, day, **fields):
        fields.setdefault("teacher", week.teacher)
        return LessonDate.objects.create(
            planned=planned,
            organisation=personas.organisation,
            date=day,
            starts_at=time(9, 0),
            minutes=fields.pop("minutes", 45),
            **fields,
        )

    lesson(first, date(start, 9, 30), status=GIVEN)  # the month before
    lesson(first, date(start, 10, 1), status=GIVEN, minutes=60)  # first day of the month
    lesson(first, date(start, 10, 31), status=GIVEN)  # last day of the month
    lesson(first, date(start, 11, 1), status=GIVEN)  # the month after
    # The teacher was ill: a colleague covered one lesson, the school cancelled another, one
    # was cancelled for want of cover; one more has no register yet.
    lesson(second, date(start, 10, 8), status=GIVEN, teacher=week.colleague, is_cover=True)
    lesson(second, date(start, 10, 15), status=CANCELLED, cancelled_by=BY.SCHOOL)
    lesson(second, date(start, 10, 22), status=CANCELLED, cancelled_by=BY.TEACHER)
    lesson(second, date(start, 10, 29))
    lesson(second, date(start, 11, 5))  # still to come in November

    today = date(start, 11, 2)
    october = delivery.month_hours(personas.organisation, date(start, 10, 1), today=today)
    rows = {row.teacher: row for row in october}
    assert set(rows) == {"Docent Viool", "Docent Cello"}
    viool, cello = rows["Docent Viool"], rows["Docent Cello"]
    # Given (60 + 45), cancelled by the school (45) and not recorded (45) are planned hours.
    assert (viool.planned_lessons, viool.planned_minutes) == (4, 195)
    assert (viool.delivered_lessons, viool.delivered_minutes) == (2, 105)
    assert viool.school_cancelled_minutes == 45
    assert viool.not_recorded_minutes == 45
    assert viool.cover_lessons == 0
    assert viool.planned_hours == 3.25
    # The cover lesson is the substitute's.
    assert (cello.planned_minutes, cello.delivered_minutes) == (45, 45)
    assert (cello.cover_lessons, cello.cover_minutes) == (1, 45)
    november = delivery.month_hours(personas.organisation, date(start, 11, 1), today=today)
    (row,) = november
    assert (row.planned_lessons, row.delivered_lessons, row.not_recorded_minutes) == (2, 1, 0)
    september = delivery.month_hours(personas.organisation, date(start, 9, 1), today=today)
    assert [(r.teacher, r.delivered_minutes) for r in september] == [("Docent Viool", 45)]
    # The teacher's own rows: one per month.
    own = delivery.teacher_hours(week.teacher, current_year(), today=today)
    assert [(r.month, r.delivered_minutes) for r in own] == [
        (date(start, 9, 1), 45),
        (date(start, 10, 1), 105),
        (date(start, 11, 1), 45),
    ]
    assert delivery.hours_total(own).planned_minutes == 45 + 195 + 90


def test_month_arithmetic():
    assert delivery.next_month(date(2025, 12, 1)) == date(2026, 1, 1)
    assert delivery.previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert delivery.previous_month(date(2026, 3, 1)) == date(2026, 2, 1)
    assert delivery.parse_month("2026-02", date(2025, 9, 9)) == date(2026, 2, 1)
    assert delivery.parse_month("2026-13", date(2025, 9, 9)) == date(2025, 9, 1)
    assert delivery.parse_month("februari", date(2025, 9, 9)) == date(2025, 9, 1)
    assert delivery.parse_month("9999-12", date(2025, 9, 9)) == date(2025, 9, 1)


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    return rows[0], rows[1:]


@pytest.mark.django_db
def test_delivery_pages_and_xlsx_hold_the_same_numbers(client, personas):
    week = _week(personas)
    year = current_year()
    _record_first_group(week)
    client.force_login(personas.owner)
    query = f"?year={year.starts_on.year}"
    page = client.get(reverse("timetable:delivery") + query)
    assert page.status_code == 200
    (school,) = page.context["schools"]
    assert school.school_id == week.school.pk
    assert school.given == 3
    drill = client.get(reverse("timetable:delivery_school", args=[week.school.pk]) + query)
    assert drill.status_code == 200
    groups = [g["row"] for g in drill.context["groups"]]
    assert [g.group_id for g in groups] == [g.pk for g in week.groups]
    first_dates = drill.context["groups"][0]["dates"]
    assert len(first_dates) == groups[0].planned_year
    assert b"Cancelled by the school" in drill.content
    assert b"substitute" in drill.content
    # The file: one row per lesson group, numbers as numbers, the same as the page.
    response = client.get(reverse("timetable:delivery_xlsx") + query)
    assert f"{personas.organisation.slug}-{year.starts_on.year}" in response["Content-Disposition"]
    header, rows = _sheet(response)
    assert header[:2] == ("School", "Lesson group")
    assert len(rows) == 2
    columns = {name: index for index, name in enumerate(header)}
    for row, group in zip(rows, groups, strict=True):
        assert row[columns["Lesson group"]] == group.name
        assert row[columns["Agreed"]] == group.agreed == 32
        assert row[columns["Given"]] == group.given
        assert row[columns["Cancelled by the school"]] == group.cancelled_school
        assert row[columns["Cancelled by the teacher"]] == group.cancelled_teacher
        assert row[columns["Not recorded"]] == group.not_recorded
        assert row[columns["Forecast"]] == group.forecast
        assert row[columns["Shortfall"]] == group.shortfall
    assert isinstance(rows[0][columns["Given"]], int)
    assert rows[0][columns["Given"]] == 3
    assert "Docent Cello (1, substitute)" in rows[0][columns["Given by"]]
    assert sum(r[columns["Given"]] for r in rows) == school.given
    # The school filter narrows the file to that school.
    other = build_school(personas.organisation, name="Andere school")
    build_lesson_group(personas.organisation, school=other)
    _header, rows = _sheet(client.get(reverse("timetable:delivery_xlsx") + f"?school={other.pk}"))
    assert len(rows) == 1 and rows[0][0] == "Andere school"


@pytest.mark.django_db
def test_delivery_page_costs_the_same_queries_for_more_schools(client, personas):
    _week(personas)
    client.force_login(personas.owner)
    url = reverse("timetable:delivery")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        school = build_school(personas.organisation, name=f"School {n}")
        build_lesson_group(personas.organisation, school=school)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(response.context["schools"]) == 4
    assert len(four) == len(one)


@pytest.mark.django_db
def test_hours_page_and_xlsx_hold_the_same_numbers(client, personas):
    week = _week(personas)
    d, _today = _record_first_group(week)
    month = d[2].date.replace(day=1)
    client.force_login(personas.owner)
    page = client.get(reverse("timetable:hours") + f"?month={month:%Y-%m}")
    assert page.status_code == 200
    rows = {row.teacher: row for row in page.context["rows"]}
    assert rows["Docent Cello"].cover_lessons == 1
    header, sheet = _sheet(client.get(reverse("timetable:hours_xlsx") + f"?month={month:%Y-%m}"))
    assert header[0] == "Teacher"
    columns = {name: index for index, name in enumerate(header)}
    assert [r[0] for r in sheet] == [row.teacher for row in page.context["rows"]]
    for line in sheet:
        row = rows[line[0]]
        assert line[columns["Month"]] == f"{month:%Y-%m}"
        assert line[columns["Lessons planned"]] == row.planned_lessons
        assert line[columns["Minutes planned"]] == row.planned_minutes
        assert line[columns["Hours delivered"]] == pytest.approx(row.delivered_minutes / 60)
        assert line[columns["Cover lessons given"]] == row.cover_lessons


@pytest.mark.django_db
def test_a_teacher_sees_only_their_own_hours(client, personas):
    week = _week(personas)
    _record_first_group(week)
    client.force_login(personas.member)
    assert client.get(reverse("timetable:hours")).status_code == 403
    assert client.get(reverse("timetable:hours_xlsx")).status_code == 403
    assert client.get(reverse("timetable:delivery")).status_code == 403
    page = client.get(reverse("timetable:my_hours"))
    assert page.status_code == 200
    assert page.context["teacher"] == week.teacher
    assert {row.teacher_id for row in page.context["rows"]} == {week.teacher.pk}
    # The lesson the colleague covered is not the absent teacher's.
    assert sum(row.delivered_lessons for row in page.context["rows"]) == 2
    text = page.content.decode()
    for row in page.context["rows"]:
        shown = f"{row.delivered_hours:.2f}"
        assert shown in text or shown.replace(".", ",") in text
    assert b"Docent Cello" not in page.content
    header, rows = _sheet(client.get(reverse("timetable:my_hours_xlsx")))
    assert {r[0] for r in rows} == {"Docent Viool"}
    assert sum(r[header.index("Lessons delivered")] for r in rows) == 2


@pytest.mark.django_db
def test_menu_entries(client, personas):
    client.force_login(personas.owner)
    names = {
        item["name"] for item in client.get(reverse("timetable:delivery")).context["nav_items"]
    }
    assert {"timetable:delivery", "timetable:hours"} <= names
    assert "timetable:my_hours" not in names
    client.force_login(personas.member)
    names = {
        item["name"] for item in client.get(reverse("timetable:my_hours")).context["nav_items"]
    }
    assert "timetable:my_hours" in names
    assert "timetable:delivery" not in names


@pytest.mark.django_db
def test_a_user_without_a_teacher_profile_gets_an_explanation(client, personas):
    client.force_login(personas.member)
    page = client.get(reverse("timetable:my_hours"))
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert b"not linked to a teacher profile" in page.content


@pytest.mark.django_db
def test_outsider_gets_404_for_a_school_of_another_programme(client, personas):
    week = _week(personas)
    client.force_login(personas.outsider)
    url = reverse("timetable:delivery_school", args=[week.school.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("timetable:delivery_xlsx") + f"?school={week.school.pk}").status_code
        == 404
    )
    # Their own overview and hours do not show the other programme's lessons.
    assert client.get(reverse("timetable:delivery")).context["schools"] == []
    assert client.get(reverse("timetable:hours")).context["rows"] == []
