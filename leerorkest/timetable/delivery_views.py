"""Proof of delivery and teaching hours: the coordinator's pages per school and per month, a
teacher's own hours on a phone, and each as an XLSX file.

The pages show lesson groups, teachers and dates, never pupils (so nothing to audit). The
numbers come from `delivery`; page and file read the same rows.
"""

from datetime import date

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerorkest.accounts.access import rule
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGER_ROLES,
    PROGRAMME_MANAGERS,
    TEACHING,
    active_programme,
)
from leerorkest.programme.models import LessonGroup, Teacher
from leerorkest.schools.models import SchoolYear

from . import delivery
from .models import LessonDate

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Proof of delivery"),
        "timetable:delivery",
        frozenset(PROGRAMME_MANAGER_ROLES),
        order=172,
    ),
    NavItem(
        gettext_lazy("Teaching hours"),
        "timetable:hours",
        frozenset(PROGRAMME_MANAGER_ROLES),
        order=175,
    ),
    NavItem(gettext_lazy("My hours"), "timetable:my_hours", frozenset({Role.TEACHER}), order=112),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Choosing a school year and a month ---------------------------------------------------------


def _year_choice(request, years: list[SchoolYear]) -> SchoolYear | None:
    """The year asked for (?year=2025, its first calendar year), else the current one, else the
    latest there is."""
    wanted = request.GET.get("year", "")
    for year in years:
        if str(year.starts_on.year) == wanted:
            return year
    current = SchoolYear.objects.current()
    if current is not None:
        return current
    return years[0] if years else None


def _programme_years(programme) -> list[SchoolYear]:
    """School years in which the programme has lesson groups, and the current year."""
    current = SchoolYear.objects.current()
    with_groups = LessonGroup.objects.filter(organisation=programme).values("school_year")
    condition = Q(pk__in=with_groups)
    if current is not None:
        condition |= Q(pk=current.pk)
    return list(SchoolYear.objects.filter(condition).order_by("-starts_on"))


def _teacher_years(teacher) -> list[SchoolYear]:
    current = SchoolYear.objects.current()
    years = []
    if teacher is not None:
        first = LessonDate.objects.filter(teacher=teacher).order_by("date").first()
        if first is not None:
            years = list(SchoolYear.objects.filter(ends_on__gte=first.date))
    if current is not None and current not in years:
        years.append(current)
    return sorted(years, key=lambda y: y.starts_on, reverse=True)


def _school_filter(request) -> int | None:
    value = request.GET.get("school", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _xlsx(content: bytes, *parts) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    filename = slugify(" ".join(str(part) for part in parts)) or "export"
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _given_by(row: delivery.GroupRow) -> str:
    parts = []
    for given in row.given_by:
        if given.is_cover:
            parts.append(
                _("%(name)s (%(lessons)s, substitute)")
                % {"name": given.name, "lessons": given.lessons}
            )
        else:
            parts.append(f"{given.name} ({given.lessons})")
    return ", ".join(parts)


# --- Proof of delivery --------------------------------------------------------------------------


def _delivery_rows(programme, year, *, school=None):
    today = timezone.localdate()
    rows = delivery.group_rows(programme, year, today=today, school=school) if year else []
    return rows, today


@rule(PROGRAMME_MANAGERS)
def delivery_overview(request):
    """Per school: the lessons of its lesson groups against what was agreed for the year."""
    programme = active_programme(request)
    years = _programme_years(programme)
    year = _year_choice(request, years)
    rows, today = _delivery_rows(programme, year)
    schools = delivery.school_rows(rows)
    choices = [(row.school_id, row.school) for row in schools]
    chosen = _school_filter(request)
    if chosen is not None:
        schools = [row for row in schools if row.school_id == chosen]
    return render(
        request,
        "timetable/delivery/overview.html",
        {
            "programme": programme,
            "years": years,
            "year": year,
            "today": today,
            "schools": schools,
            "total": delivery.total_row(schools),
            "school_choices": choices,
            "school_id": chosen,
        },
    )


@rule(PROGRAMME_MANAGERS)
def delivery_school(request, pk):
    """One school: each lesson group's counts, and each date's state."""
    programme = active_programme(request)
    school = delivery.get_school_of_programme(programme, pk)
    years = _programme_years(programme)
    year = _year_choice(request, years)
    rows, today = _delivery_rows(programme, year, school=school)
    dates = delivery.school_dates(programme, year, school) if year else {}
    groups = [
        {"row": row, "given_by": _given_by(row), "dates": dates.get(row.group_id, [])}
        for row in rows
    ]
    return render(
        request,
        "timetable/delivery/school.html",
        {
            "programme": programme,
            "school": school,
            "years": years,
            "year": year,
            "today": today,
            "groups": groups,
            "total": delivery.total_row(delivery.school_rows(rows)),
        },
    )


DELIVERY_COLUMNS = [
    gettext_lazy("School"),
    gettext_lazy("Lesson group"),
    gettext_lazy("Groep"),
    gettext_lazy("Instrument"),
    gettext_lazy("Teacher"),
    gettext_lazy("Agreed"),
    gettext_lazy("Planned (year)"),
    gettext_lazy("Planned to date"),
    gettext_lazy("Given"),
    gettext_lazy("Given by a substitute"),
    gettext_lazy("Cancelled by the school"),
    gettext_lazy("Cancelled by the teacher"),
    gettext_lazy("Cancelled by the programme"),
    gettext_lazy("Not recorded"),
    gettext_lazy("Still to come"),
    gettext_lazy("Forecast"),
    gettext_lazy("Shortfall"),
    gettext_lazy("Given by"),
]


def delivery_sheet_rows(rows: list[delivery.GroupRow]) -> list[list]:
    return [
        [
            row.school,
            row.name,
            row.year_group,
            row.instrument,
            row.teacher,
            row.agreed,
            row.planned_year,
            row.planned_to_date,
            row.given,
            row.given_by_cover,
            row.cancelled_school,
            row.cancelled_teacher,
            row.cancelled_programme,
            row.not_recorded,
            row.to_come,
            row.forecast,
            row.shortfall,
            _given_by(row),
        ]
        for row in rows
    ]


@rule(PROGRAMME_MANAGERS)
def delivery_xlsx(request):
    """One row per lesson group (of one school with ?school=), for the year."""
    programme = active_programme(request)
    year = _year_choice(request, _programme_years(programme))
    chosen = _school_filter(request)
    school = delivery.get_school_of_programme(programme, chosen) if chosen else None
    rows, _today = _delivery_rows(programme, year, school=school)
    content = delivery.workbook(
        _("Proof of delivery"),
        [str(column) for column in DELIVERY_COLUMNS],
        delivery_sheet_rows(rows),
    )
    return _xlsx(
        content,
        _("proof of delivery"),
        programme.slug,
        school.organisation.name if school else "",
        year or "",
    )


# --- Teaching hours -----------------------------------------------------------------------------


HOURS_COLUMNS = [
    gettext_lazy("Teacher"),
    gettext_lazy("Month"),
    gettext_lazy("Lessons planned"),
    gettext_lazy("Hours planned"),
    gettext_lazy("Lessons delivered"),
    gettext_lazy("Hours delivered"),
    gettext_lazy("Cover lessons given"),
    gettext_lazy("Cover hours given"),
    gettext_lazy("Hours cancelled by the school"),
    gettext_lazy("Hours not recorded"),
    gettext_lazy("Minutes planned"),
    gettext_lazy("Minutes delivered"),
]
HOURS_DECIMAL_COLUMNS = (3, 5, 7, 8, 9)


def hours_sheet_rows(rows: list[delivery.HoursRow]) -> list[list]:
    return [
        [
            row.teacher,
            f"{row.month:%Y-%m}",
            row.planned_lessons,
            row.planned_hours,
            row.delivered_lessons,
            row.delivered_hours,
            row.cover_lessons,
            row.cover_hours,
            row.school_cancelled_hours,
            row.not_recorded_hours,
            row.planned_minutes,
            row.delivered_minutes,
        ]
        for row in rows
    ]


def _hours_workbook(rows) -> bytes:
    return delivery.workbook(
        _("Teaching hours"),
        [str(column) for column in HOURS_COLUMNS],
        hours_sheet_rows(rows),
        hours_columns=HOURS_DECIMAL_COLUMNS,
    )


def _month_choice(request) -> date:
    return delivery.parse_month(request.GET.get("month", ""), timezone.localdate())


@rule(PROGRAMME_MANAGERS)
def hours_overview(request):
    """All teachers' hours in one month, for checking their invoices."""
    programme = active_programme(request)
    month = _month_choice(request)
    today = timezone.localdate()
    rows = delivery.month_hours(programme, month, today=today)
    return render(
        request,
        "timetable/delivery/hours.html",
        {
            "programme": programme,
            "month": month,
            "previous": delivery.previous_month(month),
            "next": delivery.next_month(month),
            "rows": rows,
            "total": delivery.hours_total(rows),
            "today": today,
        },
    )


@rule(PROGRAMME_MANAGERS)
def hours_xlsx(request):
    programme = active_programme(request)
    month = _month_choice(request)
    rows = delivery.month_hours(programme, month, today=timezone.localdate())
    return _xlsx(_hours_workbook(rows), _("teaching hours"), programme.slug, f"{month:%Y-%m}")


def _my_teacher(request) -> Teacher | None:
    """The user's teacher profile in the programme they act for (or their only one)."""
    profiles = Teacher.objects.filter(user=request.user).select_related("organisation")
    organisation = getattr(request.context, "organisation", None)
    if organisation is not None:
        own = profiles.filter(organisation=organisation).first()
        if own is not None:
            return own
    return profiles.first()


def _my_rows(request):
    teacher = _my_teacher(request)
    years = _teacher_years(teacher)
    year = _year_choice(request, years)
    today = timezone.localdate()
    rows = delivery.teacher_hours(teacher, year, today=today) if teacher and year else []
    return teacher, years, year, rows, today


@rule(TEACHING)
def my_hours(request):
    """The teacher's own hours per month of the school year, for their invoice."""
    teacher, years, year, rows, today = _my_rows(request)
    return render(
        request,
        "timetable/delivery/my_hours.html",
        {
            "teacher": teacher,
            "years": years,
            "year": year,
            "rows": rows,
            "total": delivery.hours_total(rows),
            "today": today,
        },
    )


@rule(TEACHING)
def my_hours_xlsx(request):
    teacher, _years, year, rows, _today = _my_rows(request)
    programme = teacher.organisation.slug if teacher else ""
    name = teacher.full_name if teacher else ""
    return _xlsx(_hours_workbook(rows), _("my hours"), programme, name, year or "")
