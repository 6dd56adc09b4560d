"""The teacher's week on a phone and their private calendar feed (iCalendar)."""

from datetime import datetime, timedelta

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
from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import TEACHING
from leerorkest.programme.models import Teacher

from . import ical
from .models import CalendarFeed, LessonDate

NAV_ITEMS = [
    NavItem(gettext_lazy("My week"), "timetable:my_week", frozenset({Role.TEACHER}), order=104),
]


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
    path("timetable/my-week/", my_week, name="my_week"),
    path("timetable/my-week/new-address/", feed_renew, name="feed_renew"),
    path("timetable/feed/<str:token>.ics", feed, name="feed"),
]
