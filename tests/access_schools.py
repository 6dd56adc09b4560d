"""A2 builders for the school and pupil pages."""

from leerorkest.schools.actions import roll_over_school
from leerorkest.schools.tests.builders import build_world


def _school(p):
    return build_world(p).school


def _rollover(p):
    world = build_world(p)
    return roll_over_school(school=world.school, from_year=world.year, by=p.owner)


OBJECT_URLS = {
    "schools:school_detail": lambda p: ("get", {"pk": _school(p).pk}),
    "schools:participation_edit": lambda p: ("get", {"pk": _school(p).pk}),
    "schools:room_add": lambda p: ("get", {"pk": _school(p).pk}),
    "schools:room_edit": lambda p: (
        "get",
        {"pk": (s := _school(p)).pk, "room_pk": s.rooms.create(name="Aula").pk},
    ),
    "schools:rollover": lambda p: ("get", {"pk": _school(p).pk}),
    "schools:rollover_undo": lambda p: ("post", {"pk": _rollover(p).pk}),
    "schools:class_detail": lambda p: ("get", {"pk": build_world(p).classes[5].pk}),
    "schools:pupil_detail": lambda p: ("get", {"pk": build_world(p).pupils[0].pk}),
    "schools:pupil_edit": lambda p: ("get", {"pk": build_world(p).pupils[0].pk}),
}
