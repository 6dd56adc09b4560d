"""A2 builders for the ensemble pages."""

from leerorkest.programme.models import Ensemble, EnsembleKind, EnsembleMember
from leerorkest.schools.tests.builders import build_world


def _ensemble(p, kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA):
    world = build_world(p)
    return Ensemble.objects.create(
        organisation=p.organisation, kind=kind, name="WTO", school_year=world.year
    ), world


def _member(p, status=EnsembleMember.Status.ACTIVE):
    ensemble, world = _ensemble(p)
    return EnsembleMember.objects.create(ensemble=ensemble, pupil=world.pupils[0], status=status)


OBJECT_URLS = {
    "programme:ensemble_detail": lambda p: ("get", {"pk": _ensemble(p)[0].pk}),
    "programme:ensemble_enrol": lambda p: ("post", {"pk": _ensemble(p)[0].pk}),
    "programme:ensemble_invite_leavers": lambda p: (
        "post",
        {"pk": _ensemble(p, EnsembleKind.SECONDARY)[0].pk},
    ),
    "programme:member_leave": lambda p: ("post", {"pk": _member(p).pk}),
    "programme:member_respond": lambda p: (
        "post",
        {"pk": _member(p, EnsembleMember.Status.INVITED).pk},
    ),
    "programme:school_orchestras": lambda p: ("post", {"pk": build_world(p).school.pk}),
}
