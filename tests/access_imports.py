"""A2 builders for the class-list import pages (collected by tests/test_access_rules.py)."""

from leerorkest.schools.tests.import_builders import class_list, make_import, pupil_row


def _import(method):
    def build(personas):
        return method, {"pk": make_import(personas, class_list(pupil_row())).pk}

    return build


OBJECT_URLS = {
    "schools:import_detail": _import("get"),
    "schools:import_columns": _import("post"),
    "schools:import_commit": _import("post"),
    "schools:import_discard": _import("post"),
}
