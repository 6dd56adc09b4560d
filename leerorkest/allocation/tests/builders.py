"""A depot with sized stock and programmes with requests, for the allocation tests."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.allocation import actions
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Location, Size
from leerorkest.depot.sizes import SIZES
from leerorkest.testing import instrument, make_organisation, make_school_year

_tags = count(1)


def size(code: str, label: str) -> Size:
    kind = instrument(code)
    found, _created = Size.objects.get_or_create(
        instrument_type=kind, label=label, defaults={"sort_order": SIZES[code].index(label)}
    )
    return found


def make_depot(*, staff=None, city: str = "Amsterdam"):
    depot = make_organisation(kind=OrgKind.DEPOT, name="Instrumentendepot", city=city)
    if staff is not None:
        Membership.objects.get_or_create(user=staff, organisation=depot, role=Role.DEPOT_STAFF)
    return depot


def make_location(depot, name: str = "Stelling A", **fields) -> Location:
    return Location.objects.create(
        organisation=depot, name=name, kind=Location.Kind.SHELF, **fields
    )


def add_stock(
    depot, code: str, label: str | None = None, n: int = 1, *, condition="B", location=None
):
    """`n` available instruments, taken in through the depot's action (one event each)."""
    kind = instrument(code)
    sized = size(code, label) if label else None
    return [
        depot_actions.acquire_instrument(
            by=None,
            organisation=depot,
            asset_tag=f"AL-{next(_tags):05d}",
            instrument_type=kind,
            size=sized,
            condition=condition,
            location=location,
            acquired_via="donation",
        )
        for _ in range(n)
    ]


def line(code: str, label: str | None = None, quantity: int = 1, *, up=False, down=False):
    return {
        "instrument_type": instrument(code),
        "size": size(code, label) if label else None,
        "quantity": quantity,
        "allow_one_size_up": up,
        "allow_one_size_down": down,
    }


def make_request(borrower, depot, lines, *, by=None, submit=True, school=None):
    return actions.create_request(
        borrower=borrower,
        depot=depot,
        school=school,
        school_year=make_school_year(2026),
        needed_by=timezone.localdate() + timedelta(days=30),
        lines=lines,
        by=by,
        submit=submit,
    )


def confirmed_request(borrower, depot, *, by=None, n: int = 2):
    """A submitted request for `n` violins 1/2, allocated and confirmed (reserved)."""
    add_stock(depot, "violin", "1/2", n)
    request = make_request(borrower, depot, [line("violin", "1/2", n)], by=by)
    run = actions.run_allocation(depot=depot, by=by, time_limit=5)
    actions.confirm_run(run=run, by=by)
    return request, run
