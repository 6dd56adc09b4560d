"""API for ensembles: the programme's managers see all of theirs, conductors their own."""

from django.db.models import Q
from django.http import Http404
from ninja import Query, Router, Schema

from leerorkest.accounts.access import LOGIN, rule
from leerorkest.accounts.models import Organisation
from leerorkest.programme.models import Ensemble, EnsembleKind, EnsembleMember
from leerorkest.schools.access import audit_pupil_list

router = Router(tags=["ensembles"])


class EnsembleOut(Schema):
    id: int
    name: str
    kind: EnsembleKind
    school_year: str
    school_id: int | None
    year_group: int | None
    conductor: str | None
    capacity: int | None


class MemberOut(Schema):
    pupil_id: int
    name: str
    status: str
    instrument: str | None
    is_senior: bool


class EnsembleDetailOut(EnsembleOut):
    members: list[MemberOut]


def _ensembles(user):
    managed = Organisation.objects.for_user(user, write=True)
    return Ensemble.objects.filter(
        Q(organisation__in=managed) | Q(conductor__user=user)
    ).select_related("school_year", "conductor")


def _out(e: Ensemble) -> dict:
    return {
        "id": e.pk,
        "name": e.name,
        "kind": e.kind,
        "school_year": str(e.school_year),
        "school_id": e.school_id,
        "year_group": e.year_group,
        "conductor": e.conductor.full_name if e.conductor else None,
        "capacity": e.capacity,
    }


@router.get("/ensembles", response=list[EnsembleOut], summary="Ensembles I manage or conduct")
@rule(LOGIN)
def ensemble_list(
    request,
    kind: EnsembleKind | None = None,
    school_id: int | None = None,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=200),
):
    ensembles = _ensembles(request.user).order_by("kind", "name", "pk")
    if kind:
        ensembles = ensembles.filter(kind=kind)
    if school_id is not None:
        ensembles = ensembles.filter(school_id=school_id)
    return [_out(e) for e in ensembles.distinct()[offset : offset + limit]]


@router.get("/ensembles/{ensemble_id}", response=EnsembleDetailOut, summary="One ensemble")
@rule(LOGIN)
def ensemble_detail(request, ensemble_id: int):
    ensemble = _ensembles(request.user).filter(pk=ensemble_id).first()
    if ensemble is None:
        raise Http404
    members = list(
        ensemble.members.exclude(status=EnsembleMember.Status.LEFT)
        .select_related("pupil", "instrument")
        .order_by("status", "since", "pk")
    )
    audit_pupil_list(request.user, [m.pupil for m in members], action="ensemble.view")
    return {
        **_out(ensemble),
        "members": [
            {
                "pupil_id": m.pupil_id,
                "name": m.pupil.full_name,
                "status": m.status,
                "instrument": m.instrument.name if m.instrument else None,
                "is_senior": m.is_senior,
            }
            for m in members
        ],
    }
