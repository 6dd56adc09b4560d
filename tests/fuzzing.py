"""Target B1 for the depot's API operations: schemathesis generates requests from the OpenAPI
document (at least 100 per operation) and sends them in-process to the real application, signed
in with a personal token, against a database holding a depot with stock, loans, requests, work
orders, a transport run and a stock-take. No response may be a server error or fall outside the
document (status codes, content types, bodies, headers).

Each test module picks its operations by path, so pytest-xdist spreads them over workers.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from leerorkest.api import api
from leerorkest.wsgi import application

EXAMPLES = 100
BASE_URL = "https://localhost/api/v1"

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix=""))
schema.app = application


def settings(examples: int = EXAMPLES, *, explicit: bool = True):
    """`explicit=False` leaves out schemathesis's coverage cases (each operation's edge values
    and malformed inputs, sent on top of `examples`) for runs that only change the caller."""
    phases = list(Phase) if explicit else [p for p in Phase if p is not Phase.explicit]
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )


@pytest.fixture
def depot_world(db):
    """A depot whose staff member calls the API, with stock on the shelf and out on loan, a
    partner programme with its coordinator, requests, a work order, a run and a stock-take."""
    from leerorkest.accounts.actions import create_api_token
    from leerorkest.accounts.roles import OrgKind, Role
    from leerorkest.allocation.tests.builders import line, make_request
    from leerorkest.depot import actions
    from leerorkest.stock import actions as stock_actions
    from leerorkest.stock.tests.builders import make_world, stock
    from leerorkest.testing import make_member, make_organisation
    from leerorkest.workshop.tests.builders import make_workshop

    world = make_world()
    partner = make_organisation(kind=OrgKind.PARTNER, city="Dordrecht")
    coordinator = make_member(partner, Role.PARTNER_COORDINATOR)
    make_workshop(world.depot)
    shelf = stock(world, 6)
    for instrument in shelf[:2]:
        actions.checkout_instrument(instrument=instrument, borrower=partner, by=world.staff)
    actions.checkout_instrument(instrument=shelf[3], borrower=partner, by=world.staff, ship=True)
    actions.send_to_repair(instrument=shelf[2], by=world.staff, note="kam los")
    make_request(partner, world.depot, [line("violin", "1/2", 2)], by=coordinator)
    stock_actions.start_stocktake(location=world.shelf_a, by=world.staff)
    _staff_token, staff = create_api_token(user=world.staff, name="fuzz")
    _coordinator_token, programme = create_api_token(user=coordinator, name="fuzz")
    with connection_kept_open():
        yield {"depot": staff, "programme": programme}


@contextmanager
def connection_kept_open():
    """Called as a WSGI application, Django closes the database connection after each request;
    the test's connection must stay open (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run(case, tokens: dict, who: str | None = "depot"):
    """Send the case as `who` (a key of `tokens`), or with no Authorization header for None;
    the response is returned once it has passed the checks."""
    if who is None:
        # The generated case carries an empty "Bearer " for the documented token scheme.
        headers = {}
        if case.headers:
            case.headers.pop("Authorization", None)
    else:
        headers = {"Authorization": f"Bearer {tokens[who]}"}
    response = case.call(base_url=BASE_URL, headers=headers)
    # A request the schema allows may still be refused for a business reason ("the date has
    # passed") with a documented 400, and an unknown query parameter is ignored, as HTTP APIs
    # do: answers, not schema breaks. Everything else is checked.
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
    return response
