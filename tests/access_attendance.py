"""A2 builders for the registers (timetable attendance pages): a dated lesson of the owner's
programme from a published week, and one of its pupils."""

from django.utils import timezone

from leerorkest.timetable.models import LessonDate
from leerorkest.timetable.tests.builders import published_week


def _lesson_date(p) -> LessonDate:
    """The week's first lesson on its latest date up to today (a register that may be taken)."""
    week = published_week(p.organisation, owner=p.owner)
    dates = LessonDate.objects.filter(planned=week.lessons[0])
    return dates.filter(date__lte=timezone.localdate()).order_by("-date").first() or dates.first()


def _mark(p):
    lesson_date = _lesson_date(p)
    pupil_id = lesson_date.planned.lesson_group.members.values_list("pupil_id", flat=True)[0]
    return "post", {"pk": lesson_date.pk, "pupil_pk": pupil_id}


OBJECT_URLS = {
    "timetable:register": lambda p: ("get", {"pk": _lesson_date(p).pk}),
    "timetable:register_mark": _mark,
    "timetable:register_all_present": lambda p: ("post", {"pk": _lesson_date(p).pk}),
}
