"""Timetable pages: planning (new version, progress, grids per school, teacher and room, moving
and locking lessons, the changes before publishing), the teacher's week on a phone with a
private calendar feed, and the planning data (school locations, travel times)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGERS,
    TEACHING,
    active_programme,
    managed_programmes,
)
from leerorkest.programme.models import Teacher
from leerorkest.schools.models import Room, School, SchoolParticipation, SchoolYear
from leerorkest.schools.models.years import Weekday

from . import actions, ical
from .forms import MoveForm, NewTimetableForm, SchoolLocationForm, TravelOverrideForm
from .models import CalendarFeed, LessonDate, PlannedLesson, Timetable, TravelOverride

NAV_ITEMS = [
    NavItem(
        gettext_lazy("Timetable"),
        "timetable:list",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
        order=150,
    ),
    NavItem(gettext_lazy("My week"), "timetable:my_week", frozenset({Role.TEACHER}), order=104),
]

SLOT = 5  # minutes per grid row
SOFT_LABELS = {
    "idle_gap_minutes": gettext_lazy("Idle minutes between lessons"),
    "travel_minutes": gettext_lazy("Travel minutes between schools"),
    "school_visits": gettext_lazy("School visits of teachers"),
    "short_visit_minutes": gettext_lazy("Paid but unused minutes of short visits"),
    "preferred_teacher_changes": gettext_lazy("Lessons not given by the group's own teacher"),
    "non_compact_minutes": gettext_lazy("Empty minutes in schools' music days"),
    "load_imbalance_minutes": gettext_lazy("Difference between busiest and quietest teacher"),
    "published_changes": gettext_lazy("Lessons changed from the published timetable"),
}


def get_timetable_for_user(user, pk) -> Timetable:
    try:
        return Timetable.objects.filter(organisation__in=managed_programmes(user)).get(pk=pk)
    except (Timetable.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_planned_lesson_for_user(user, pk) -> PlannedLesson:
    try:
        return (
            PlannedLesson.objects.filter(timetable__organisation__in=managed_programmes(user))
            .select_related("timetable", "school__organisation", "teacher", "room")
            .get(pk=pk)
        )
    except (PlannedLesson.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


# --- The list and a new version ----------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def timetable_list(request):
    programme = active_programme(request)
    year = SchoolYear.objects.current()
    timetables = Timetable.objects.filter(organisation=programme, school_year=year).select_related(
        "created_by", "published_by"
    )
    participations = SchoolParticipation.objects.filter(
        school__organisation__parent=programme, school_year=year
    ).select_related("school__organisation")
    without_location = [p.school for p in participations if p.school.latitude is None]
    form = NewTimetableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            timetable = actions.create_timetable(
                programme=programme,
                year=year,
                by=request.user,
                time_limit=form.cleaned_data["time_limit"],
            )
            actions.start_solve(timetable, by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("timetable:detail", timetable.pk)
    return render(
        request,
        "timetable/list.html",
        {
            "timetables": timetables,
            "year": year,
            "form": form,
            "published": actions.published_timetable(programme, year),
            "school_count": len(participations),
            "without_location": without_location,
        },
    )


# --- One timetable -------------------------------------------------------------------------


@dataclass
class Block:
    lesson: PlannedLesson
    column: int
    row: int
    span: int


@dataclass
class Grid:
    title: str
    columns: list[str]
    start: int  # minute of the first row
    rows: int
    blocks: list[Block]
    hours: list[tuple[int, str]]  # (row, label)


def _grid(title, columns, lessons, column_of, start=None, end=None) -> Grid:
    placed = [row for row in lessons if row.starts_at is not None and column_of(row) is not None]
    first = min([_minute(r.starts_at) for r in placed], default=8 * 60)
    last = max([_minute(r.starts_at) + r.minutes for r in placed], default=16 * 60)
    start = min(start if start is not None else first, first) // 30 * 30
    end = max(end if end is not None else last, last)
    blocks = [
        Block(
            lesson=row,
            column=column_of(row) + 2,
            row=(_minute(row.starts_at) - start) // SLOT + 2,
            span=max(1, row.minutes // SLOT),
        )
        for row in placed
    ]
    hours = [
        ((m - start) // SLOT + 2, f"{m // 60:02d}:{m % 60:02d}") for m in range(start, end, 30)
    ]
    return Grid(title, columns, start, max(1, (end - start) // SLOT), blocks, hours)


def _views(timetable: Timetable, request):
    """The grid the coordinator asked for: a school's rooms, a teacher's week or a room's week."""
    lessons = list(
        PlannedLesson.objects.filter(timetable=timetable).select_related(
            "teacher", "room", "school__organisation"
        )
    )
    schools = sorted({r.school for r in lessons if r.school}, key=lambda s: s.organisation.name)
    teachers = sorted({r.teacher for r in lessons if r.teacher}, key=lambda t: t.full_name)
    view = request.GET.get("view", "school")
    grids: list[Grid] = []
    chosen = None
    day_names = [str(label) for _value, label in Weekday.choices]
    if view == "teacher":
        chosen = _pick(teachers, request.GET.get("teacher"))
        if chosen:
            mine = [r for r in lessons if r.teacher_id == chosen.pk]
            grids.append(
                _grid(chosen.full_name, day_names, mine, lambda r: r.weekday, 8 * 60, 16 * 60)
            )
    elif view == "room":
        rooms = Room.objects.filter(school__in=schools, is_active=True).select_related(
            "school__organisation"
        )
        chosen = _pick(list(rooms), request.GET.get("room"))
        if chosen:
            mine = [r for r in lessons if r.room_id == chosen.pk]
            grids.append(
                _grid(
                    f"{chosen.school} · {chosen.name}",
                    day_names,
                    mine,
                    lambda r: r.weekday,
                    8 * 60,
                    16 * 60,
                )
            )
    else:
        view = "school"
        chosen = _pick(schools, request.GET.get("school"))
        if chosen:
            rooms = list(Room.objects.filter(school=chosen, is_active=True).order_by("name"))
            index = {room.pk: i for i, room in enumerate(rooms)}
            mine = [r for r in lessons if r.school_id == chosen.pk]
            by_day: dict[int, list] = {}
            for row in mine:
                if row.weekday is not None:
                    by_day.setdefault(row.weekday, []).append(row)
            participation = SchoolParticipation.objects.filter(
                school=chosen, school_year=timetable.school_year
            ).first()
            window = (
                (_minute(participation.day_starts_at), _minute(participation.day_ends_at))
                if participation
                else (None, None)
            )
            for day, rows in sorted(by_day.items()):
                grids.append(
                    _grid(
                        f"{chosen} · {Weekday(day).label}",
                        [room.name for room in rooms],
                        rows,
                        lambda r: index.get(r.room_id),
                        *window,
                    )
                )
    rooms_all = Room.objects.filter(school__in=schools, is_active=True).select_related(
        "school__organisation"
    )
    return {
        "view": view,
        "chosen": chosen,
        "grids": grids,
        "schools": schools,
        "teachers": teachers,
        "rooms": rooms_all.order_by("school__organisation__name", "name"),
        "unplaced": [r for r in lessons if not r.is_placed],
        "locked_count": sum(1 for r in lessons if r.locked),
        "lesson_count": len(lessons),
    }


def _pick(options, wanted):
    for option in options:
        if str(option.pk) == str(wanted):
            return option
    return options[0] if options else None


@rule(PROGRAMME_MANAGERS)
def timetable_detail(request, pk):
    timetable = get_timetable_for_user(request.user, pk)
    report = timetable.result.get("report")
    context = {
        "timetable": timetable,
        "percent": actions.progress_percent(timetable),
        "report": report,
        "soft_parts": [
            (SOFT_LABELS.get(part, part), value, (report or {}).get("soft_weights", {}).get(part))
            for part, value in (report or {}).get("soft", {}).items()
        ],
        "hx": bool(request.headers.get("HX-Request")),
        **_views(timetable, request),
    }
    return render(request, "timetable/detail.html", context)


@rule(PROGRAMME_MANAGERS)
def timetable_progress(request, pk):
    """The progress bar, polled every two seconds while the planner runs."""
    timetable = get_timetable_for_user(request.user, pk)
    response = render(
        request,
        "timetable/progress.html",
        {"timetable": timetable, "percent": actions.progress_percent(timetable)},
    )
    if timetable.status != Timetable.Status.SOLVING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@rule(PROGRAMME_MANAGERS)
def timetable_solve(request, pk):
    timetable = get_timetable_for_user(request.user, pk)
    try:
        actions.start_solve(timetable, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("timetable:detail", timetable.pk)


@require_POST
@rule(PROGRAMME_MANAGERS)
def timetable_new_version(request, pk):
    """A new draft starting from this (published) timetable, to change by hand or re-plan."""
    timetable = get_timetable_for_user(request.user, pk)
    try:
        draft = actions.copy_timetable(timetable, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("timetable:detail", timetable.pk)
    messages.success(
        request, _("A new version to change. Lock what must stay, then plan again or publish.")
    )
    return redirect("timetable:detail", draft.pk)


def _back_to_grid(request, lesson: PlannedLesson):
    query = request.POST.get("next_query", "")
    url = reverse("timetable:detail", args=[lesson.timetable_id])
    return redirect(f"{url}?{query}" if query else url)


@rule(PROGRAMME_MANAGERS)
def lesson_edit(request, pk):
    """Move a lesson to another day, time, teacher or room; the move locks it."""
    lesson = get_planned_lesson_for_user(request.user, pk)
    timetable = lesson.timetable
    form = MoveForm(request.POST or None, lesson=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            problems = actions.move_lesson(
                lesson,
                by=request.user,
                weekday=form.cleaned_data["weekday"],
                starts_at=form.cleaned_data["starts_at"],
                teacher=form.cleaned_data["teacher"],
                room=form.cleaned_data["room"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if problems:
                messages.warning(
                    request,
                    _("Moved, but the timetable now breaks a rule: %(problems)s")
                    % {"problems": "; ".join(problems)},
                )
            else:
                messages.success(request, _("Moved and locked: %(lesson)s") % {"lesson": lesson})
            return _back_to_grid(request, lesson)
    return render(
        request,
        "timetable/lesson_edit.html",
        {
            "lesson": lesson,
            "timetable": timetable,
            "form": form,
            "next_query": request.GET.urlencode() or request.POST.get("next_query", ""),
            "base_template": (
                "timetable/partial.html" if request.headers.get("HX-Request") else "base.html"
            ),
        },
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def lesson_lock(request, pk):
    lesson = get_planned_lesson_for_user(request.user, pk)
    try:
        actions.set_locked(lesson, by=request.user, locked=request.POST.get("locked") == "1")
    except DomainError as error:
        messages.error(request, str(error))
    return _back_to_grid(request, lesson)


@rule(PROGRAMME_MANAGERS)
def timetable_changes(request, pk):
    """What publishing this timetable changes in the published one, lesson by lesson."""
    timetable = get_timetable_for_user(request.user, pk)
    current = actions.published_timetable(timetable.organisation, timetable.school_year)
    if current and current.pk == timetable.pk:
        current = None
    changes = actions.diff(timetable, current)
    return render(
        request,
        "timetable/changes.html",
        {
            "timetable": timetable,
            "current": current,
            "changes": changes,
            "moved": sum(1 for c in changes if c["kind"] == "changed"),
            "report": timetable.result.get("report"),
        },
    )


@require_POST
@rule(PROGRAMME_MANAGERS)
def timetable_publish(request, pk):
    timetable = get_timetable_for_user(request.user, pk)
    try:
        created = actions.publish(timetable, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("timetable:changes", timetable.pk)
    messages.success(
        request,
        _("Published: %(count)s dated lessons until the end of the school year.")
        % {"count": created},
    )
    return redirect("timetable:detail", timetable.pk)


# --- Planning data -------------------------------------------------------------------------


@rule(PROGRAMME_MANAGERS)
def places(request):
    """Where the schools are and known travel times, from which the planner estimates travel."""
    programme = active_programme(request)
    schools = list(
        School.objects.filter(organisation__parent=programme)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    forms = [
        SchoolLocationForm(
            request.POST if request.POST.get("form") == "locations" else None,
            instance=school,
            prefix=f"s{school.pk}",
        )
        for school in schools
    ]
    travel_form = TravelOverrideForm(
        request.POST if request.POST.get("form") == "travel" else None, schools=schools
    )
    if request.method == "POST":
        if request.POST.get("form") == "locations" and all(f.is_valid() for f in forms):
            for form in forms:
                if form.has_changed():
                    form.save()
            messages.success(request, _("Locations saved."))
            return redirect("timetable:places")
        if request.POST.get("form") == "travel" and travel_form.is_valid():
            data = travel_form.cleaned_data
            TravelOverride.objects.update_or_create(
                organisation=programme,
                from_school=data["from_school"],
                to_school=data["to_school"],
                defaults={"minutes": data["minutes"]},
            )
            messages.success(request, _("Travel time saved."))
            return redirect("timetable:places")
        if request.POST.get("form") == "delete":
            TravelOverride.objects.filter(
                organisation=programme, pk=request.POST.get("override")
            ).delete()
            return redirect("timetable:places")
    overrides = TravelOverride.objects.filter(organisation=programme).select_related(
        "from_school__organisation", "to_school__organisation"
    )
    return render(
        request,
        "timetable/places.html",
        {
            "rows": list(zip(schools, forms, strict=True)),
            "travel_form": travel_form,
            "overrides": overrides,
        },
    )


# --- The teacher's week and calendar feed ------------------------------------------------------


def _my_teacher(request) -> Teacher | None:
    return Teacher.objects.filter(user=request.user).select_related("organisation").first()


@rule(TEACHING)
def my_week(request):
    """The teacher's lessons this week (or another week), day by day, as dated lessons."""
    teacher = _my_teacher(request)
    today = timezone.localdate()
    try:
        offset = max(-8, min(40, int(request.GET.get("week", 0))))
    except ValueError:
        offset = 0
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    days = []
    feed_url = None
    if teacher is not None:
        own = LessonDate.objects.filter(
            Q(teacher=teacher) | Q(planned__teacher=teacher),
            date__range=(monday, monday + timedelta(days=4)),
        ).select_related(
            "planned__school__organisation", "planned__room", "teacher", "planned__teacher"
        )
        by_day: dict = {}
        for lesson_date in own:
            by_day.setdefault(lesson_date.date, []).append(lesson_date)
        days = [
            (monday + timedelta(days=n), by_day.get(monday + timedelta(days=n), []))
            for n in range(5)
        ]
        feed = CalendarFeed.for_teacher(teacher)
        feed_url = request.build_absolute_uri(reverse("timetable:feed", args=[feed.token]))
    return render(
        request,
        "timetable/my_week.html",
        {
            "teacher": teacher,
            "days": days,
            "monday": monday,
            "offset": offset,
            "today": today,
            "feed_url": feed_url,
        },
    )


@require_POST
@rule(TEACHING)
def feed_renew(request):
    teacher = _my_teacher(request)
    if teacher is None:
        raise Http404
    CalendarFeed.for_teacher(teacher).renew()
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("timetable:my_week")


@rule(PUBLIC)
def feed(request, token):
    """The private calendar feed: whoever has the address sees the teacher's lessons, nothing
    about the pupils."""
    found = CalendarFeed.objects.filter(token=token).select_related("teacher").first()
    if found is None or not found.teacher.is_active:
        raise Http404
    teacher = found.teacher
    today = timezone.localdate()
    rows = (
        LessonDate.objects.filter(
            Q(teacher=teacher) | Q(planned__teacher=teacher),
            date__range=(today - timedelta(days=28), today + timedelta(days=200)),
        )
        .select_related("planned__school__organisation", "planned__room", "teacher")
        .order_by("date", "starts_at")
    )
    zone = timezone.get_current_timezone()
    events = []
    for row in rows:
        replaced = row.teacher_id != teacher.pk
        summary = row.planned.title
        if row.is_cover and not replaced:
            summary = _("Cover: %(lesson)s") % {"lesson": summary}
        description = ""
        if row.status == LessonDate.Status.CANCELLED:
            description = _("Cancelled: %(reason)s") % {"reason": row.cancel_reason or "—"}
        elif replaced:
            description = _("Taken over by %(name)s") % {"name": row.teacher.full_name}
        events.append(
            {
                "uid": f"lesson-{row.pk}@leerorkest",
                "start": datetime.combine(row.date, row.starts_at, tzinfo=zone),
                "minutes": row.minutes,
                "summary": summary,
                "location": row.planned.place,
                "description": description,
                "cancelled": row.status == LessonDate.Status.CANCELLED or replaced,
            }
        )
    body = ical.calendar(_("Lessons of %(name)s") % {"name": teacher.full_name}, events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="leerorkest.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


urlpatterns = [
    path("timetable/", timetable_list, name="list"),
    path("timetable/<int:pk>/", timetable_detail, name="detail"),
    path("timetable/<int:pk>/progress/", timetable_progress, name="progress"),
    path("timetable/<int:pk>/solve/", timetable_solve, name="solve"),
    path("timetable/<int:pk>/new-version/", timetable_new_version, name="new_version"),
    path("timetable/<int:pk>/changes/", timetable_changes, name="changes"),
    path("timetable/<int:pk>/publish/", timetable_publish, name="publish"),
    path("timetable/lessons/<int:pk>/", lesson_edit, name="lesson_edit"),
    path("timetable/lessons/<int:pk>/lock/", lesson_lock, name="lesson_lock"),
    path("timetable/places/", places, name="places"),
    path("timetable/my-week/", my_week, name="my_week"),
    path("timetable/my-week/new-address/", feed_renew, name="feed_renew"),
    path("timetable/feed/<str:token>.ics", feed, name="feed"),
]
