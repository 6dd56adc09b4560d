"""A2 builders for the school, class, pupil and ensemble API."""

from leerorkest.programme.models import Ensemble, EnsembleKind
from leerorkest.schools.tests.builders import build_world


def _ensemble(p):
    world = build_world(p)
    return Ensemble.objects.create(
        organisation=p.organisation,
        kind=EnsembleKind.SECONDARY,
        name="Vervolg",
        school_year=world.year,
    )


OBJECT_OPERATIONS = {
    "/schools/{school_id}": lambda p: {"school_id": build_world(p).school.pk},
    "/schools/{school_id}/classes": lambda p: {"school_id": build_world(p).school.pk},
    "/classes/{class_id}": lambda p: {"class_id": build_world(p).classes[5].pk},
    "/pupils/{pupil_id}": lambda p: {"pupil_id": build_world(p).pupils[0].pk},
    "/ensembles/{ensemble_id}": lambda p: {"ensemble_id": _ensemble(p).pk},
}
