"""A2 builders for the workshop pages and the work-order API.

personas.organisation is a programme: each builder makes a depot (with a workshop) whose staff
includes personas.owner, and makes the outsider staff of another depot, so the outsider passes
the role rule and meets the 404 of the object lookup.
"""

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.workshop.models import MaintenancePlan, WorkOrder
from leerorkest.workshop.tests.builders import add_member, make_part, make_workshop


def _depot(p):
    depot = make_depot()
    Membership.objects.get_or_create(user=p.owner, organisation=depot, role=Role.DEPOT_STAFF)
    Membership.objects.get_or_create(
        user=p.outsider, organisation=make_depot(), role=Role.DEPOT_STAFF
    )
    return depot


def _workshop(p):
    return make_workshop(_depot(p))


def _order(p) -> WorkOrder:
    workshop = _workshop(p)
    [instrument] = make_stock(workshop.organisation)
    depot_actions.send_to_repair(instrument=instrument, by=None)
    return WorkOrder.objects.get(instrument=instrument)


def _retired(p):
    [instrument] = make_stock(_depot(p))
    depot_actions.retire_instrument(instrument=instrument, by=None)
    return instrument


def _plan(p):
    workshop = _workshop(p)
    return MaintenancePlan.objects.create(
        organisation=workshop.organisation, family="woodwind", workshop=workshop, skill="woodwind"
    )


def _member(p):
    return add_member(_workshop(p), p.owner, role=Role.DEPOT_STAFF)


OBJECT_URLS = {
    "workshop:members": lambda p: ("get", {"pk": _workshop(p).pk}),
    "workshop:settings": lambda p: ("post", {"pk": _workshop(p).pk}),
    "workshop:member_change": lambda p: ("post", {"pk": _member(p).pk}),
    "workshop:member_remove": lambda p: ("post", {"pk": _member(p).pk}),
    "workshop:queue": lambda p: ("get", {"pk": _workshop(p).pk}),
    "workshop:work_order": lambda p: ("get", {"pk": _order(p).pk}),
    "workshop:work_order_assign": lambda p: ("post", {"pk": _order(p).pk}),
    "workshop:work_order_labour": lambda p: ("post", {"pk": _order(p).pk}),
    "workshop:work_order_part": lambda p: ("post", {"pk": _order(p).pk}),
    "workshop:work_order_action": lambda p: ("post", {"pk": _order(p).pk, "action": "start"}),
    "workshop:part_detail": lambda p: ("get", {"pk": make_part(_depot(p)).pk}),
    "workshop:plan_toggle": lambda p: ("post", {"pk": _plan(p).pk}),
    "workshop:harvest": lambda p: ("post", {"pk": _retired(p).pk}),
}

OBJECT_OPERATIONS = {
    "/work-orders/{work_order_id}": lambda p: {"work_order_id": _order(p).pk},
    "/work-orders/{work_order_id}/labour": lambda p: {"work_order_id": _order(p).pk},
    "/work-orders/{work_order_id}/parts": lambda p: {"work_order_id": _order(p).pk},
}
