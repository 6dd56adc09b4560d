"""A2 builders for the ensemble pages."""

from leerorkest.programme.models import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    Sectional,
)
from leerorkest.schools.tests.builders import build_world
from leerorkest.testing import instrument


def _ensemble(p, kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA):
    world = build_world(p)
    return Ensemble.objects.create(
        organisation=p.organisation, kind=kind, name="WTO", school_year=world.year
    ), world


def _member(p, status=EnsembleMember.Status.ACTIVE):
    ensemble, world = _ensemble(p)
    return EnsembleMember.objects.create(ensemble=ensemble, pupil=world.pupils[0], status=status)


def _orchestra(p):
    world = build_world(p)
    return Ensemble.objects.create(
        organisation=p.organisation,
        kind=EnsembleKind.SCHOOL_ORCHESTRA,
        name="Orkest groep 6",
        school_year=world.year,
        school=world.school,
        year_group=6,
    )


def _sectional(p):
    violin = instrument("violin")
    sectional = Sectional.objects.create(
        ensemble=_orchestra(p), name="Strijkers", led_by=violin, minutes=30
    )
    sectional.instruments.set([violin])
    return sectional


OBJECT_URLS = {
    "programme:sectional_add": lambda p: ("get", {"pk": _orchestra(p).pk}),
    "programme:sectional_edit": lambda p: ("get", {"pk": _sectional(p).pk}),
    "programme:sectional_delete": lambda p: ("post", {"pk": _sectional(p).pk}),
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
