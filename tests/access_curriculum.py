"""A2 builders for the learning line pages and API: the owner's draft line (a draft is private to
the owner's members), its goals and milestones, a lesson group's grid and a pupil's progress."""

from leerorkest.curriculum.tests.builders import build_line
from tests.access_teachers import build_lesson_group


def _draft(p):
    return build_line(p.organisation, p.owner, publish=False)


def _goal(p):
    return _draft(p).goals.first()


def _milestone(p):
    return _draft(p).milestones.first()


def _group(p):
    build_line(p.organisation, p.owner, name="In gebruik")
    return build_lesson_group(p.organisation)


def _pupil(p):
    return build_lesson_group(p.organisation).pupils.first()


OBJECT_URLS = {
    "curriculum:line_detail": lambda p: ("get", {"pk": _draft(p).pk}),
    "curriculum:line_edit": lambda p: ("get", {"pk": _draft(p).pk}),
    "curriculum:line_publish": lambda p: ("post", {"pk": _draft(p).pk}),
    "curriculum:line_new_version": lambda p: (
        "post",
        {"pk": build_line(p.organisation, p.owner).pk},
    ),
    "curriculum:goal_add": lambda p: ("get", {"pk": _draft(p).pk}),
    "curriculum:goal_edit": lambda p: ("get", {"pk": _goal(p).pk}),
    "curriculum:goal_delete": lambda p: ("post", {"pk": _goal(p).pk}),
    "curriculum:milestone_add": lambda p: ("get", {"pk": _draft(p).pk}),
    "curriculum:milestone_edit": lambda p: ("get", {"pk": _milestone(p).pk}),
    "curriculum:milestone_delete": lambda p: ("post", {"pk": _milestone(p).pk}),
    "curriculum:progress_grid": lambda p: ("get", {"pk": _group(p).pk}),
    "curriculum:pupil_progress": lambda p: ("get", {"pk": _pupil(p).pk}),
    "curriculum:pupil_report": lambda p: ("get", {"pk": _pupil(p).pk}),
}

OBJECT_OPERATIONS = {
    "/learning-lines/{line_id}": lambda p: {"line_id": _draft(p).pk},
    "/learning-lines/{line_id}/goals": lambda p: {"line_id": _draft(p).pk},
    "/learning-lines/{line_id}/milestones": lambda p: {"line_id": _draft(p).pk},
    "/learning-goals/{goal_id}": lambda p: {"goal_id": _goal(p).pk},
    "/milestones/{milestone_id}": lambda p: {"milestone_id": _milestone(p).pk},
}
