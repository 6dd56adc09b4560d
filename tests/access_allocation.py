"""A2 builders for the request and allocation pages and API.

Programme pages: a request of personas.organisation (the owner coordinates it; the outsider
coordinates another programme). Depot pages: a depot whose staff includes the owner, with the
outsider staff of another depot, so both pass the role rule and the outsider meets the 404.
"""

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.allocation.tests.builders import (
    confirmed_request,
    line,
    make_depot,
    make_request,
)


def _depots(p):
    depot = make_depot(staff=p.owner)
    make_depot(staff=p.outsider)
    return depot


def _draft(p):
    return make_request(p.organisation, _depots(p), [line("flute", None, 2)], submit=False)


def _submitted(p):
    return make_request(p.organisation, _depots(p), [line("flute", None, 2)])


def _run(p):
    depot = _depots(p)
    Membership.objects.get_or_create(user=p.owner, organisation=depot, role=Role.DEPOT_STAFF)
    _request, run = confirmed_request(p.organisation, depot, by=p.owner, n=1)
    return run


OBJECT_URLS = {
    "allocation:request_detail": lambda p: ("get", {"pk": _submitted(p).pk}),
    "allocation:request_edit": lambda p: ("get", {"pk": _draft(p).pk}),
    "allocation:request_submit": lambda p: ("post", {"pk": _draft(p).pk}),
    "allocation:request_withdraw": lambda p: ("post", {"pk": _submitted(p).pk}),
    "allocation:request_close": lambda p: ("post", {"pk": _submitted(p).pk}),
    "allocation:request_picklist": lambda p: ("get", {"pk": _submitted(p).pk}),
    "allocation:run_report": lambda p: ("get", {"pk": _run(p).pk}),
    "allocation:run_confirm": lambda p: ("post", {"pk": _run(p).pk}),
    "allocation:run_picklist": lambda p: ("get", {"pk": _run(p).pk}),
}

OBJECT_OPERATIONS = {
    "/requests/{request_id}": lambda p: {"request_id": _submitted(p).pk},
}
