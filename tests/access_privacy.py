"""A2 builders for the privacy pages of a pupil of the owner's programme."""

from leerorkest.testing import make_class, make_pupil, make_school


def _pupil(p):
    return make_pupil(make_class(make_school(p.organisation)))


OBJECT_URLS = {
    "privacy:pupil_consent": lambda p: ("get", {"pk": _pupil(p).pk}),
    "privacy:pupil_export": lambda p: ("get", {"pk": _pupil(p).pk}),
    "privacy:pupil_export_json": lambda p: ("get", {"pk": _pupil(p).pk}),
    "privacy:pupil_erase": lambda p: ("get", {"pk": _pupil(p).pk}),
}
