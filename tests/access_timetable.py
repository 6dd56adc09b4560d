"""A2 builders for the planning pages (a published week of the owner's programme)."""

from leerorkest.timetable.tests.builders import published_week


def _timetable(p):
    return published_week(p.organisation, owner=p.owner).timetable


def _lesson(p):
    return published_week(p.organisation, owner=p.owner).lessons[0]


OBJECT_URLS = {
    "timetable:detail": lambda p: ("get", {"pk": _timetable(p).pk}),
    "timetable:progress": lambda p: ("get", {"pk": _timetable(p).pk}),
    "timetable:changes": lambda p: ("get", {"pk": _timetable(p).pk}),
    "timetable:solve": lambda p: ("post", {"pk": _timetable(p).pk}),
    "timetable:new_version": lambda p: ("post", {"pk": _timetable(p).pk}),
    "timetable:publish": lambda p: ("post", {"pk": _timetable(p).pk}),
    "timetable:lesson_edit": lambda p: ("get", {"pk": _lesson(p).pk}),
    "timetable:lesson_lock": lambda p: ("post", {"pk": _lesson(p).pk}),
    # The address is the credential; a wrong one must look like nothing exists.
    "timetable:feed": lambda p: ("get", {"token": "not-a-real-calendar-token"}),
}

CREDENTIAL_LINKS = {"timetable:feed"}
