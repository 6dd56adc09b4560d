"""API of the Leerorkest Academie: the workshops a teacher or coordinator may read, and their
own registration (register, cancel). Organising is done on the pages."""

from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from leerorkest.academie import actions
from leerorkest.academie.access import READERS, get_workshop_for_user, workshops_for_user
from leerorkest.academie.models import (
    AcademieWorkshop,
    Registration,
    RegistrationStatus,
    WorkshopStatus,
)
from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.idempotency import IdempotencyKey

router = Router(tags=["academie"])


class WorkshopOut(Schema):
    id: int
    title: str
    organiser: str
    place: str
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    status: WorkshopStatus
    capacity: int
    free_places: int
    waiting: int
    url: str


class WorkshopDetailOut(WorkshopOut):
    description: str


class MyRegistrationOut(Schema):
    workshop_id: int
    status: RegistrationStatus | None
    waiting_position: int | None
    certificate_url: str | None


def _out(w: AcademieWorkshop) -> dict:
    return {
        "id": w.pk,
        "title": w.title,
        "organiser": w.organisation.name,
        "place": w.place,
        "starts_at": w.starts_at,
        "ends_at": w.ends_at,
        "hours": w.hours,
        "status": w.status,
        "capacity": w.capacity,
        "free_places": w.free_places,
        "waiting": w.waiting,
        "url": reverse("academie:workshop", args=[w.pk]),
    }


def _mine(workshop: AcademieWorkshop, user) -> dict:
    registration = Registration.objects.filter(workshop=workshop, user=user).first()
    status = registration.status if registration else None
    certificate = None
    if status == RegistrationStatus.ATTENDED:
        certificate = reverse("academie:certificate", args=[registration.pk])
    return {
        "workshop_id": workshop.pk,
        "status": status,
        "waiting_position": registration.waiting_position() if registration else None,
        "certificate_url": certificate,
    }


@router.get(
    "/academie/workshops", response=list[WorkshopOut], summary="Academie workshops I may attend"
)
@rule(READERS)
def workshop_list(
    request,
    include_past: bool = False,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=200),
):
    workshops = workshops_for_user(request.user)
    if not include_past:
        workshops = workshops.upcoming()
    workshops = workshops.select_related("organisation").with_counts().order_by("starts_at", "pk")
    return [_out(w) for w in workshops[offset : offset + limit]]


@router.get("/academie/workshops/{workshop_id}", response=WorkshopDetailOut, summary="One workshop")
@rule(READERS)
def workshop_detail(request, workshop_id: int):
    workshop = get_workshop_for_user(request.user, workshop_id)
    return {**_out(workshop), "description": workshop.description}


@router.get(
    "/academie/workshops/{workshop_id}/registration",
    response=MyRegistrationOut,
    summary="My registration for a workshop (status null: not registered)",
)
@rule(READERS)
def my_registration(request, workshop_id: int):
    return _mine(get_workshop_for_user(request.user, workshop_id), request.user)


@router.post(
    "/academie/workshops/{workshop_id}/registration",
    response={201: MyRegistrationOut},
    summary="Register for a workshop (a place, or the waiting list when it is full)",
)
@rule(READERS)
def register(request, workshop_id: int, idempotency_key: IdempotencyKey = None):
    workshop = get_workshop_for_user(request.user, workshop_id)
    actions.register(workshop=workshop, user=request.user)
    return Status(201, _mine(workshop, request.user))


@router.delete(
    "/academie/workshops/{workshop_id}/registration",
    response=MyRegistrationOut,
    summary="Cancel my registration (a freed place goes to the longest waiting)",
)
@rule(READERS)
def unregister(request, workshop_id: int, idempotency_key: IdempotencyKey = None):
    workshop = get_workshop_for_user(request.user, workshop_id)
    registration = Registration.objects.filter(workshop=workshop, user=request.user).first()
    if registration is None:
        raise DomainError(_("You are not registered for this workshop."), code="not_registered")
    actions.cancel_registration(registration=registration, by=request.user)
    return _mine(workshop, request.user)
