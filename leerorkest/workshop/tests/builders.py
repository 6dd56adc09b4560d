"""Workshops, parts and work orders for the tests."""

from itertools import count

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Location
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.workshop.models import Part, PartMovement, Skill, Workshop, WorkshopMember

_numbers = count(1)


def make_workshop(depot, skills=(Skill.STRINGS,), *, lead=None, name="") -> Workshop:
    number = next(_numbers)
    location = Location.objects.create(
        organisation=depot, name=f"Atelier {number}", kind=Location.Kind.WORKSHOP
    )
    return Workshop.objects.create(
        organisation=depot,
        name=name or f"Workshop {number}",
        location=location,
        lead=lead,
        skills=list(skills),
    )


def add_member(workshop, user, kind=WorkshopMember.Kind.VOLUNTEER, rate=0, role=None):
    role = role or Role.WORKSHOP_VOLUNTEER
    Membership.objects.get_or_create(user=user, organisation=workshop.organisation, role=role)
    return WorkshopMember.objects.create(
        workshop=workshop, user=user, kind=kind, hourly_rate_cents=rate
    )


def make_part(depot, name="", *, on_hand=0, cost=500, reorder=0) -> Part:
    part = Part.objects.create(
        organisation=depot,
        name=name or f"Part {next(_numbers)}",
        unit_cost_cents=cost,
        reorder_level=reorder,
    )
    if on_hand:
        PartMovement.objects.create(part=part, kind="purchase", quantity=on_hand)
        Part.objects.filter(pk=part.pk).update(on_hand=on_hand)
        part.on_hand = on_hand
    return part


def in_repair(depot, code="violin", **fields):
    """An instrument sent to repair: the receiver opens its work order."""
    [instrument] = make_stock(depot, 1, code=code)
    if fields:
        type(instrument).objects.filter(pk=instrument.pk).update(**fields)
        instrument.refresh_from_db()
    depot_actions.send_to_repair(instrument=instrument, by=None, source="inspection")
    instrument.refresh_from_db()
    return instrument


def managed_depot(user, role=Role.DEPOT_STAFF):
    depot = make_depot()
    Membership.objects.get_or_create(user=user, organisation=depot, role=role)
    return depot
