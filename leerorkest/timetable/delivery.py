"""Proof of delivery ("verantwoording") and teaching hours, counted from the dated lessons.

Two questions, each answered with a handful of aggregate queries however many lessons a year has
(Amsterdam: ~750 lesson groups x ~36 weeks):

* Per school and lesson group for a school year: the lessons planned (up to today and for the
  whole year), given, cancelled (by the school, the teacher or the programme), not recorded yet
  (dates up to today still "planned": nobody took the register), still to come, and how the
  forecast (everything not cancelled) compares with the lessons agreed with the school
  (`SchoolParticipation.agreed_lessons`, per lesson group).
* Per teacher per month: the minutes planned and delivered, for the teacher's invoice. A lesson
  counts for whoever gives it (`LessonDate.teacher`): a cover lesson is the substitute's, not the
  absent teacher's. Planned means planned or given, plus the lessons the school cancelled (the
  teacher kept the time free); delivered means given.

The functions return plain rows; the pages, the XLSX exports and the tests read the same rows.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404

from leerorkest.programme.models import InstrumentType, LessonGroup, Teacher
from leerorkest.schools.models import School, SchoolParticipation, SchoolYear

from .models import LessonDate

STATUS = LessonDate.Status
BY = LessonDate.CancelledBy
GIVEN = Q(status=STATUS.GIVEN)
STILL_PLANNED = Q(status=STATUS.PLANNED)
CANCELLED = Q(status=STATUS.CANCELLED)
BY_SCHOOL = CANCELLED & Q(cancelled_by=BY.SCHOOL)
BY_TEACHER = CANCELLED & Q(cancelled_by=BY.TEACHER)
# A cancellation without a recorded reason is the programme's decision.
BY_PROGRAMME = CANCELLED & ~Q(cancelled_by__in=[BY.SCHOOL, BY.TEACHER])


# --- Proof of delivery per lesson group -------------------------------------------------------


@dataclass
class Tally:
    """Lesson counts of one lesson group, or summed over a school or a whole programme."""

    agreed: int | None = None
    planned_year: int = 0
    planned_to_date: int = 0
    given: int = 0
    given_by_cover: int = 0
    cancelled_school: int = 0
    cancelled_teacher: int = 0
    cancelled_programme: int = 0
    not_recorded: int = 0
    to_come: int = 0
    # Summed per group: one group's extra lessons do not make up for another's missing ones.
    shortfall_sum: int | None = None

    @property
    def cancelled(self) -> int:
        return self.cancelled_school + self.cancelled_teacher + self.cancelled_programme

    @property
    def forecast(self) -> int:
        """Lessons at the end of the year if nothing more is cancelled: given, not recorded yet
        and still to come."""
        return self.planned_year - self.cancelled

    @property
    def shortfall(self) -> int | None:
        """Agreed lessons the forecast does not reach (None when nothing was agreed)."""
        if self.shortfall_sum is not None:
            return self.shortfall_sum
        if self.agreed is None:
            return None
        return max(0, self.agreed - self.forecast)

    def add(self, other: "Tally") -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.agreed is not None:
            self.agreed = (self.agreed or 0) + other.agreed
            self.shortfall_sum = (self.shortfall_sum or 0) + (other.shortfall or 0)


COUNT_FIELDS = (
    "planned_year",
    "planned_to_date",
    "given",
    "given_by_cover",
    "cancelled_school",
    "cancelled_teacher",
    "cancelled_programme",
    "not_recorded",
    "to_come",
)


@dataclass
class GivenBy:
    teacher_id: int
    name: str
    lessons: int
    is_cover: bool


@dataclass
class GroupRow(Tally):
    group_id: int = 0
    name: str = ""
    year_group: int = 0
    instrument: str = ""
    teacher: str = ""
    school_id: int = 0
    school: str = ""
    given_by: list[GivenBy] = field(default_factory=list)


@dataclass
class SchoolRow(Tally):
    school_id: int = 0
    school: str = ""
    groups: int = 0
    groups_short: int = 0


def _counts(today: date) -> dict:
    up_to_today = Q(date__lte=today)
    return {
        "planned_year": Count("pk"),
        "planned_to_date": Count("pk", filter=up_to_today),
        "given": Count("pk", filter=GIVEN),
        "cancelled_school": Count("pk", filter=BY_SCHOOL),
        "cancelled_teacher": Count("pk", filter=BY_TEACHER),
        "cancelled_programme": Count("pk", filter=BY_PROGRAMME),
        "not_recorded": Count("pk", filter=STILL_PLANNED & up_to_today),
        "to_come": Count("pk", filter=STILL_PLANNED & Q(date__gt=today)),
    }


def lesson_groups(programme, year: SchoolYear, school: School | None = None):
    groups = LessonGroup.objects.filter(organisation=programme, school_year=year)
    if school is not None:
        groups = groups.filter(school=school)
    return groups


def group_dates(programme, year: SchoolYear, school: School | None = None):
    """The dated lessons of the programme's lesson groups in the year (any timetable version:
    dates kept from a replaced timetable still count)."""
    return LessonDate.objects.filter(
        organisation=programme,
        date__range=(year.starts_on, year.ends_on),
        planned__lesson_group__in=lesson_groups(programme, year, school).values("pk"),
    )


def group_rows(
    programme, year: SchoolYear, *, today: date, school: School | None = None
) -> list[GroupRow]:
    """One row per lesson group of the year (also those without a single dated lesson), ordered
    by school, groep and name. Five queries, none of them per row."""
    groups = list(
        lesson_groups(programme, year, school)
        .order_by("school__organisation__name", "school_id", "year_group", "name", "pk")
        .values(
            "pk",
            "name",
            "year_group",
            "instrument_id",
            "teacher_id",
            "school_id",
            "school__organisation__name",
        )
    )
    # Counted per group, teacher and cover in one pass; summed per group below.
    counts: dict[int, dict[str, int]] = {}
    given: list[dict] = []
    for row in (
        group_dates(programme, year, school)
        .order_by()
        .values("planned__lesson_group", "teacher_id", "is_cover")
        .annotate(**_counts(today))
    ):
        total = counts.setdefault(row["planned__lesson_group"], dict.fromkeys(COUNT_FIELDS, 0))
        for name in COUNT_FIELDS:
            total[name] += row.get(name, 0)
        if row["given"]:
            total["given_by_cover"] += row["given"] if row["is_cover"] else 0
            given.append(row)
    names = dict(
        Teacher.objects.filter(
            pk__in={g["teacher_id"] for g in groups} | {r["teacher_id"] for r in given}
        ).values_list("pk", "full_name")
    )
    instruments = InstrumentType.objects.in_bulk({g["instrument_id"] for g in groups})
    given_by = defaultdict(list)
    for row in sorted(given, key=lambda r: (r["is_cover"], names.get(r["teacher_id"], ""))):
        given_by[row["planned__lesson_group"]].append(
            GivenBy(
                row["teacher_id"], names.get(row["teacher_id"], ""), row["given"], row["is_cover"]
            )
        )
    participations = SchoolParticipation.objects.filter(school_year=year)
    if school is not None:
        participations = participations.filter(school=school)
    else:
        participations = participations.filter(school__organisation__parent=programme)
    agreed = dict(participations.values_list("school_id", "agreed_lessons"))
    return [
        GroupRow(
            agreed=agreed.get(group["school_id"]),
            group_id=group["pk"],
            name=group["name"],
            year_group=group["year_group"],
            instrument=instruments[group["instrument_id"]].name,
            teacher=names.get(group["teacher_id"], ""),
            school_id=group["school_id"],
            school=group["school__organisation__name"],
            given_by=given_by.get(group["pk"], []),
            **counts.get(group["pk"], {}),
        )
        for group in groups
    ]


def school_rows(rows: list[GroupRow]) -> list[SchoolRow]:
    """The group rows summed per school, in the order of the rows."""
    schools: dict[int, SchoolRow] = {}
    for row in rows:
        total = schools.get(row.school_id)
        if total is None:
            total = schools[row.school_id] = SchoolRow(school_id=row.school_id, school=row.school)
        total.add(row)
        total.groups += 1
        total.groups_short += 1 if row.shortfall else 0
    return list(schools.values())


def total_row(rows: list[SchoolRow]) -> SchoolRow:
    total = SchoolRow()
    for row in rows:
        total.add(row)
        total.groups += row.groups
        total.groups_short += row.groups_short
    return total


def school_dates(programme, year: SchoolYear, school: School) -> dict[int, list[LessonDate]]:
    """Every dated lesson of the school's lesson groups in the year, per group (one query)."""
    by_group: dict[int, list[LessonDate]] = defaultdict(list)
    for lesson_date in (
        group_dates(programme, year, school)
        .select_related("teacher", "planned")
        .order_by("date", "starts_at", "pk")
    ):
        by_group[lesson_date.planned.lesson_group_id].append(lesson_date)
    return by_group


def get_school_of_programme(programme, pk) -> School:
    """A school of the programme; a 404 for any other school."""
    try:
        return School.objects.select_related("organisation").get(
            pk=pk, organisation__parent=programme
        )
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Teaching hours per teacher per month ------------------------------------------------------


@dataclass
class HoursRow:
    teacher_id: int = 0
    teacher: str = ""
    month: date | None = None
    planned_lessons: int = 0
    planned_minutes: int = 0
    delivered_lessons: int = 0
    delivered_minutes: int = 0
    cover_lessons: int = 0
    cover_minutes: int = 0
    school_cancelled_minutes: int = 0
    not_recorded_minutes: int = 0

    def __getattr__(self, name: str) -> float:
        """`planned_hours`, `cover_hours`…: each `*_minutes` field in hours."""
        if name.endswith("_hours") and f"{name[:-6]}_minutes" in HOURS_FIELDS:
            return hours(getattr(self, f"{name[:-6]}_minutes"))
        raise AttributeError(name)

    def add(self, other: "HoursRow") -> None:
        for name in HOURS_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


HOURS_FIELDS = (
    "planned_lessons",
    "planned_minutes",
    "delivered_lessons",
    "delivered_minutes",
    "cover_lessons",
    "cover_minutes",
    "school_cancelled_minutes",
    "not_recorded_minutes",
)


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def parse_month(value: str, default: date) -> date:
    """The first of the month `value` names ("2026-03"); otherwise the default's month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2999:
            return date(year, month, 1)
    except (ValueError, TypeError):
        pass
    return month_start(default)


def _minutes(condition: Q):
    return Coalesce(Sum("minutes", filter=condition), 0)


def _hours_sums(today: date) -> dict:
    planned = Q(status__in=[STATUS.PLANNED, STATUS.GIVEN]) | BY_SCHOOL
    return {
        "planned_lessons": Count("pk", filter=planned),
        "planned_minutes": _minutes(planned),
        "delivered_lessons": Count("pk", filter=GIVEN),
        "delivered_minutes": _minutes(GIVEN),
        "cover_lessons": Count("pk", filter=GIVEN & Q(is_cover=True)),
        "cover_minutes": _minutes(GIVEN & Q(is_cover=True)),
        "school_cancelled_minutes": _minutes(BY_SCHOOL),
        "not_recorded_minutes": _minutes(STILL_PLANNED & Q(date__lte=today)),
    }


def month_hours(programme, month: date, *, today: date) -> list[HoursRow]:
    """One row per teacher who gives (or was to give) a lesson of the programme in the month,
    by name. One query."""
    rows = (
        LessonDate.objects.filter(
            organisation=programme, date__gte=month, date__lt=next_month(month)
        )
        .order_by()
        .values("teacher_id", "teacher__full_name")
        .annotate(**_hours_sums(today))
        .order_by("teacher__full_name", "teacher_id")
    )
    return [HoursRow(teacher=row.pop("teacher__full_name"), month=month, **row) for row in rows]


def teacher_hours(teacher, year: SchoolYear, *, today: date) -> list[HoursRow]:
    """The teacher's own rows: one per month of the school year with lessons. One query."""
    rows = (
        LessonDate.objects.filter(teacher=teacher, date__range=(year.starts_on, year.ends_on))
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(**_hours_sums(today))
        .order_by("month")
    )
    result = []
    for row in rows:
        month = row.pop("month")
        if not isinstance(month, date):  # some backends give a datetime
            month = month.date()
        result.append(
            HoursRow(teacher_id=teacher.pk, teacher=teacher.full_name, month=month, **row)
        )
    return result


def hours_total(rows: list[HoursRow]) -> HoursRow:
    total = HoursRow()
    for row in rows:
        total.add(row)
    return total


# --- XLSX --------------------------------------------------------------------------------------


def workbook(title: str, header: list[str], rows: list[list], *, hours_columns=()) -> bytes:
    """An .xlsx file of one sheet: a bold, frozen header row and the rows as they are (numbers
    stay numbers). Columns whose index is in `hours_columns` show two decimals."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    # Sheet titles may not hold []:*?/\ and are at most 31 characters.
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        width = max([len(str(name))] + [len(str(r[index - 1])) for r in rows[:200]])
        sheet.column_dimensions[letter].width = min(max(8, width + 2), 60)
        if index - 1 in hours_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
