"""A2 builders for the proof of delivery pages (the school drill-down takes a school id)."""

from tests.access_teachers import build_school


def _school(p):
    return "get", {"pk": build_school(p.organisation).pk}


OBJECT_URLS = {
    "timetable:delivery_school": _school,
}
