"""A depot with staff, shelves and stock, for the stock-handling tests."""

from dataclasses import dataclass
from itertools import count

from leerorkest.accounts.models import Organisation, User
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions
from leerorkest.depot import sizes as size_catalogue
from leerorkest.depot.models import Instrument, Location, Size
from leerorkest.depot.tests.builders import make_depot
from leerorkest.programme.models import InstrumentType
from leerorkest.testing import instrument, make_member

_tags = count(50_001)


@dataclass
class DepotWorld:
    depot: Organisation
    staff: User
    shelf_a: Location
    shelf_b: Location


def make_world() -> DepotWorld:
    instrument("violin")  # the catalogue, after a flush
    size_catalogue.install(Size, InstrumentType)
    depot = make_depot()
    return DepotWorld(
        depot=depot,
        staff=make_member(depot, Role.DEPOT_STAFF),
        shelf_a=Location.objects.create(organisation=depot, name="Stelling A", kind="shelf"),
        shelf_b=Location.objects.create(organisation=depot, name="Stelling B", kind="shelf"),
    )


def stock(world: DepotWorld, n: int = 1, code: str = "violin", **fields) -> list[Instrument]:
    kind = instrument(code)
    fields.setdefault("location", world.shelf_a)
    return [
        actions.acquire_instrument(
            by=None,
            organisation=world.depot,
            asset_tag=fields.pop("asset_tag", None) or f"TS-{next(_tags):06d}",
            instrument_type=kind,
            acquired_via="donation",
            **fields,
        )
        for _ in range(n)
    ]
