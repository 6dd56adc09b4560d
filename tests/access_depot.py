"""A2 builders for the depot pages.

personas.organisation is a programme, and depot pages are for depot staff: each builder makes a
depot whose staff includes personas.owner, and makes the outsider staff of another depot, so the
outsider passes the role rule and must meet the 404 of the object lookup.
"""

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot.tests.builders import make_depot, make_stock


def _instrument(p):
    depot = make_depot()
    Membership.objects.get_or_create(user=p.owner, organisation=depot, role=Role.DEPOT_STAFF)
    Membership.objects.get_or_create(
        user=p.outsider, organisation=make_depot(), role=Role.DEPOT_STAFF
    )
    return make_stock(depot)[0]


OBJECT_URLS = {
    "depot:instrument_detail": lambda p: ("get", {"pk": _instrument(p).pk}),
    "depot:instrument_change": lambda p: (
        "post",
        {"pk": _instrument(p).pk, "action": "repair"},
    ),
}
