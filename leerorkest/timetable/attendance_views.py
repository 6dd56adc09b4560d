"""Registers on a phone: a teacher's lessons of the day with their register, one tap per child
(htmx, or a plain form post without JavaScript), and the coordinator's "Registers today"."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    TEACHING,
    active_programme,
    teaching_programmes,
)
from leerorkest.programme.models import Teacher
from leerorkest.schools.access import audit_pupil_list

from . import attendance
from .models import AttendanceMark, LessonDate

CATCH_UP_DAYS = 14  # a teacher can take a register this many days late from "Today"

NAV_ITEMS = [
    NavItem(gettext_lazy("Today"), "timetable:today", frozenset({Role.TEACHER}), order=105),
    NavItem(
        gettext_lazy("Registers today"),
        "timetable:registers",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=160,
    ),
]

Status = AttendanceMark.Status


# --- Lists of lessons ---------------------------------------------------------------------------


@dataclass
class LessonLine:
    """A dated lesson in a list: when and where, who teaches, how far it is, its register."""

    lesson: LessonDate
    phase: str  # "upcoming", "running" or "ended"
    present: int = 0
    absent: int = 0
    late: int = 0
    excused: int = 0

    @property
    def ends_at(self):
        start = datetime.combine(self.lesson.date, self.lesson.starts_at)
        return (start + timedelta(minutes=self.lesson.minutes)).time()

    @property
    def school(self) -> str:
        planned = self.lesson.planned
        if planned.school_id:
            return planned.school.organisation.name
        return planned.venue

    @property
    def room(self) -> str:
        planned = self.lesson.planned
        return planned.room.name if planned.room_id else ""

    @property
    def is_cancelled(self) -> bool:
        return self.lesson.status == LessonDate.Status.CANCELLED

    @property
    def is_taken(self) -> bool:
        return self.lesson.register_taken_at is not None

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.late + self.excused

    @property
    def url(self) -> str:
        return reverse("timetable:register", args=[self.lesson.pk])


def _phase(lesson: LessonDate, now: datetime) -> str:
    start = datetime.combine(lesson.date, lesson.starts_at)
    if now < start:
        return "upcoming"
    if now < start + timedelta(minutes=lesson.minutes):
        return "running"
    return "ended"


def _lines(lessons: QuerySet[LessonDate], now: datetime | None = None) -> list[LessonLine]:
    """The lessons in lesson order (start, then school), with their marks counted."""
    now = now or timezone.localtime().replace(tzinfo=None)
    counted = (
        lessons.select_related(
            "planned__school__organisation", "planned__room", "planned__teacher", "teacher"
        )
        .annotate(
            **{
                f"n_{value}": Count("marks", filter=Q(marks__status=value))
                for value in Status.values
            }
        )
        .order_by(
            "date",
            "starts_at",
            F("planned__school__organisation__name").asc(nulls_last=True),
            "planned__venue",
            "planned__title",
            "pk",
        )
    )
    return [
        LessonLine(
            lesson=lesson,
            phase=_phase(lesson, now),
            **{value: getattr(lesson, f"n_{value}") for value in Status.values},
        )
        for lesson in counted
    ]


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _day_label(day: date, today: date) -> str:
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return date_format(day, "l j F")


@rule(TEACHING)
def today(request):
    """The teacher's lessons of one day (today, or one of the last two weeks to catch up), in
    time order, with the state of each register. Lessons they give as a substitute are here;
    lessons someone else took over are not."""
    now = timezone.localtime()
    current = now.date()
    first = current - timedelta(days=CATCH_UP_DAYS)
    day = _parse_day(request.GET.get("day"))
    if day is None or not first <= day <= current:
        day = current
    mine = LessonDate.objects.filter(
        teacher__user=request.user, organisation__in=teaching_programmes(request.user)
    )
    open_per_day = dict(
        mine.filter(date__range=(first, current), register_taken_at__isnull=True)
        .exclude(status=LessonDate.Status.CANCELLED)
        .order_by()
        .values_list("date")
        .annotate(n=Count("pk"))
        .values_list("date", "n")
    )
    days = []
    for offset in range(CATCH_UP_DAYS + 1):
        option = current - timedelta(days=offset)
        label = _day_label(option, current)
        waiting = open_per_day.get(option, 0)
        if waiting:
            label = ngettext(
                "%(day)s (%(count)s register not taken)",
                "%(day)s (%(count)s registers not taken)",
                waiting,
            ) % {"day": label, "count": waiting}
        days.append((option.isoformat(), label))
    return render(
        request,
        "timetable/attendance/today.html",
        {
            "lines": _lines(mine.filter(date=day), now.replace(tzinfo=None)),
            "day": day,
            "day_iso": day.isoformat(),
            "is_today": day == current,
            "day_label": _day_label(day, current),
            "days": days,
            "behind": sum(n for d, n in open_per_day.items() if d < current),
            "has_profile": Teacher.objects.filter(user=request.user).exists(),
        },
    )


@rule(PROGRAMME_MANAGERS)
def registers(request):
    """The programme's registers of a day: the ones not taken yet in lesson order, the taken
    ones with their counts, and the cancelled lessons."""
    programme = active_programme(request)
    now = timezone.localtime()
    current = now.date()
    day = _parse_day(request.GET.get("date")) or current
    lines = _lines(
        LessonDate.objects.filter(organisation=programme, date=day), now.replace(tzinfo=None)
    )
    return render(
        request,
        "timetable/attendance/registers.html",
        {
            "day": day,
            "is_today": day == current,
            "previous": (day - timedelta(days=1)).isoformat(),
            "next": (day + timedelta(days=1)).isoformat(),
            "open": [x for x in lines if not x.is_cancelled and not x.is_taken],
            "taken": [x for x in lines if x.is_taken],
            "cancelled": [x for x in lines if x.is_cancelled and not x.is_taken],
        },
    )


# --- One register -------------------------------------------------------------------------------


def _register_context(request, lesson_date: LessonDate, **extra) -> dict:
    reason = attendance.refusal(lesson_date)
    rows = [] if reason else attendance.register_pupils(lesson_date)
    mine = lesson_date.teacher.user_id == request.user.pk
    if mine:
        back = reverse("timetable:today") + f"?day={lesson_date.date.isoformat()}"
    else:
        back = reverse("timetable:registers") + f"?date={lesson_date.date.isoformat()}"
    line = _lines(LessonDate.objects.filter(pk=lesson_date.pk))[0]
    return {
        "lesson": lesson_date,
        "line": line,
        "refusal": reason,
        "rows": rows,
        "counts": attendance.count(rows),
        "buttons": Status.choices,
        "back": back,
        "mine": mine,
        **extra,
    }


@rule(TEACHING)
def register(request, pk):
    lesson_date = attendance.get_lesson_date_for_user(request.user, pk)
    context = _register_context(request, lesson_date)
    audit_pupil_list(request.user, context["rows"])
    return render(request, "timetable/attendance/register.html", context)


@require_POST
@rule(TEACHING)
def register_mark(request, pk, pupil_pk):
    """One tap: save one child's mark at once. htmx gets the child's line back (and the
    register's state); without JavaScript the page reloads at the child's line."""
    lesson_date = attendance.get_lesson_date_for_user(request.user, pk)
    listed = {row.pk: row for row in attendance.register_pupils(lesson_date)}
    if pupil_pk not in listed:
        raise Http404
    error = ""
    try:
        attendance.mark(
            lesson_date, listed[pupil_pk].pupil, request.POST.get("status", ""), request.user
        )
    except DomainError as problem:
        error = problem.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("timetable:register", args=[pk]) + f"#pupil-{pupil_pk}")
    context = _register_context(request, lesson_date)
    # A refused mark (the lesson was cancelled meanwhile) shows the line as it was.
    row = next((r for r in context["rows"] if r.pk == pupil_pk), listed[pupil_pk])
    audit_pupil_list(request.user, [row])
    return render(
        request,
        "timetable/attendance/register_marked.html",
        {**context, "row": row, "error": error},
    )


@require_POST
@rule(TEACHING)
def register_all_present(request, pk):
    """The "Everyone present" button: every expected child without a mark yet is marked
    present; the taps already made stay."""
    lesson_date = attendance.get_lesson_date_for_user(request.user, pk)
    try:
        marked = attendance.mark_all_present(lesson_date, request.user)
    except DomainError as problem:
        notice, level = problem.message, "error"
    else:
        if marked:
            notice = ngettext(
                "%(count)s pupil marked present.", "%(count)s pupils marked present.", marked
            ) % {"count": marked}
        else:
            notice = _("Everyone on the register has a mark already.")
        level = "success"
    if not request.htmx:
        getattr(messages, level)(request, notice)
        return redirect("timetable:register", pk)
    context = _register_context(request, lesson_date, notice=notice, notice_level=level)
    audit_pupil_list(request.user, context["rows"])
    return render(request, "timetable/attendance/register_section.html", context)
