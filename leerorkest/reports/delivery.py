"""Delivery and attendance: how many lessons were given against what was agreed, how often the
children came, how many hours each teacher taught and how much training they followed, for a
scope and a period.

* Attendance counts the register marks (`AttendanceMark`) of the lessons dated in the period:
  the rate is present or late against every mark taken, per school, lesson group and teacher
  (the teacher who gave the lesson, so a cover lesson counts for the substitute).
* Lessons against agreed are the proof of delivery of `leerorkest.timetable.delivery`, per
  school year the period touches (agreements are made per school year), summed per school.
* Teacher hours are the minutes of the lessons given in the period; training is every
  `TrainingRecord` of the programmes' teachers dated in the period.

A handful of aggregate queries, however many schools, groups and teachers there are.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from leerorkest.programme.models import TrainingRecord
from leerorkest.reports.scope import LESSONS, Period, Scope
from leerorkest.schools.models import SchoolYear
from leerorkest.timetable import delivery as timetable_delivery
from leerorkest.timetable.models import AttendanceMark, LessonDate

ATTENDED = (AttendanceMark.Status.PRESENT, AttendanceMark.Status.LATE)
UNKNOWN = "—"


@dataclass
class RateRow:
    key: int | None  # the school, lesson group or teacher id; None for "unknown"
    label: str
    marks: int
    attended: int
    url: str = ""

    @property
    def rate(self) -> float | None:
        return self.attended / self.marks if self.marks else None

    @property
    def pct(self) -> int:
        """The rate in whole percent (0 without marks), for the bar and the table."""
        return round(100 * self.attended / self.marks) if self.marks else 0


@dataclass
class TeacherRow:
    teacher_id: int
    name: str
    lessons: int = 0  # given in the period
    minutes: int = 0
    trainings: int = 0
    training_hours: Decimal = Decimal(0)
    url: str = ""
    pct: int = 0  # minutes against the busiest teacher's, for the bar

    @property
    def hours(self) -> float:
        return timetable_delivery.hours(self.minutes)


@dataclass
class YearDelivery:
    """Lessons against agreed in one school year, per school and in total."""

    year: SchoolYear
    schools: list[timetable_delivery.SchoolRow]
    total: timetable_delivery.SchoolRow


@dataclass
class Delivery:
    scope: Scope
    period: Period
    marks: int
    attended: int
    lessons_given: int
    by_school: list[RateRow]
    by_group: list[RateRow]
    by_teacher: list[RateRow]
    years: list[YearDelivery] = field(default_factory=list)
    teachers: list[TeacherRow] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.attended / self.marks if self.marks else None

    @property
    def pct(self) -> int:
        return round(100 * self.attended / self.marks) if self.marks else 0

    @property
    def minutes(self) -> int:
        return sum(t.minutes for t in self.teachers)

    @property
    def hours(self) -> float:
        return timetable_delivery.hours(self.minutes)

    @property
    def training_hours(self) -> Decimal:
        return sum((t.training_hours for t in self.teachers), Decimal(0))


def lesson_dates(scope: Scope, period: Period):
    """The scope's dated lessons in the period: its programmes' lessons at its schools (any
    lesson when the scope has no place), of its kind of playing."""
    dates = LessonDate.objects.filter(
        organisation__in=scope.programme_ids,
        date__gte=period.starts_on,
        date__lte=period.ends_on,
    )
    if scope.has_place:
        dates = dates.filter(planned__school__in=scope.schools())
    if scope.kind == LESSONS:
        dates = dates.filter(planned__lesson_group__isnull=False)
    elif scope.kind:
        dates = dates.filter(
            Q(planned__ensemble__kind=scope.kind) | Q(planned__sectional__ensemble__kind=scope.kind)
        )
    return dates


def _rates(marks, key: str, label: str, school: str = "") -> list[RateRow]:
    """Marks and attended per value of `key` (a lookup from the mark), best attended first.
    With `school`, the label names the school too (a group's name is unique only there)."""
    rows = (
        marks.values(key, label, *([school] if school else []))
        .annotate(marks=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by()
    )
    result = []
    for row in rows:
        name = row[label] or UNKNOWN
        if school and row[school]:
            name = _("%(group)s, %(school)s") % {"group": name, "school": row[school]}
        result.append(RateRow(row[key], name, row["marks"], row["attended"]))
    result.sort(key=lambda r: (r.key is None, -(r.rate or 0), r.label))
    return result


def _years_delivery(scope: Scope, period: Period, today: date) -> list[YearDelivery]:
    """Per school year of the period: each school's lessons against agreed (lesson groups of
    the scope's programmes at the scope's schools)."""
    if scope.kind and scope.kind != LESSONS:
        return []  # agreements are about the lesson groups
    wanted = set(scope.schools().values_list("pk", flat=True)) if scope.has_place else None
    result = []
    for year in period.years:
        rows = []
        for programme in scope.programmes:
            rows += timetable_delivery.group_rows(programme, year, today=today, school=scope.school)
        if wanted is not None:
            rows = [row for row in rows if row.school_id in wanted]
        schools = timetable_delivery.school_rows(rows)
        if schools:
            result.append(YearDelivery(year, schools, timetable_delivery.total_row(schools)))
    return result


def _teachers(scope: Scope, period: Period, dates) -> list[TeacherRow]:
    """Hours given per teacher in the period, and the training they followed in it. With a
    place or a kind of playing, only the teachers who taught there or in it; else every
    teacher of the programmes who taught or trained."""
    given = (
        dates.filter(status=LessonDate.Status.GIVEN)
        .values("teacher_id", "teacher__full_name")
        .annotate(lessons=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    )
    rows: dict[int, TeacherRow] = {}
    for row in given:
        rows[row["teacher_id"]] = TeacherRow(
            row["teacher_id"], row["teacher__full_name"], row["lessons"], row["minutes"] or 0
        )
    training = TrainingRecord.objects.filter(
        teacher__organisation__in=scope.programme_ids,
        attended_on__gte=period.starts_on,
        attended_on__lte=period.ends_on,
    )
    if scope.has_place or scope.kind:
        training = training.filter(teacher__in=list(rows))
    for row in (
        training.values("teacher_id", "teacher__full_name")
        .annotate(n=Count("pk"), hours=Sum("hours"))
        .order_by()
    ):
        teacher = rows.get(row["teacher_id"])
        if teacher is None:
            teacher = rows[row["teacher_id"]] = TeacherRow(
                row["teacher_id"], row["teacher__full_name"]
            )
        teacher.trainings = row["n"]
        teacher.training_hours = row["hours"] or Decimal(0)
    busiest = max((t.minutes for t in rows.values()), default=0) or 1
    for teacher in rows.values():
        teacher.pct = round(100 * teacher.minutes / busiest)
    return sorted(rows.values(), key=lambda t: (-t.minutes, t.name))


def delivery(scope: Scope, period: Period, *, today: date) -> Delivery:
    """Delivery and attendance of the scope in the period; `today` divides the lessons not
    recorded yet from those still to come."""
    dates = lesson_dates(scope, period)
    marks = AttendanceMark.objects.filter(lesson_date__in=dates)
    totals = marks.aggregate(marks=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED)))
    group = "lesson_date__planned__lesson_group"
    by_group = _rates(
        marks.filter(**{f"{group}__isnull": False}),
        group,
        f"{group}__name",
        f"{group}__school__organisation__name",
    )
    return Delivery(
        scope=scope,
        period=period,
        marks=totals["marks"],
        attended=totals["attended"],
        lessons_given=dates.filter(status=LessonDate.Status.GIVEN).count(),
        by_school=_rates(
            marks,
            "lesson_date__planned__school",
            "lesson_date__planned__school__organisation__name",
        ),
        by_group=by_group,
        by_teacher=_rates(marks, "lesson_date__teacher", "lesson_date__teacher__full_name"),
        years=_years_delivery(scope, period, today),
        teachers=_teachers(scope, period, dates),
    )
