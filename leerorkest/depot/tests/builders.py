"""A depot with stock and a borrowing programme, for the depot tests."""

from itertools import count

from leerorkest.accounts.roles import OrgKind
from leerorkest.depot import actions
from leerorkest.testing import instrument, make_organisation

_tags = count(1)


def make_depot():
    return make_organisation(kind=OrgKind.DEPOT, name="Instrumentendepot")


def make_stock(depot, n: int = 1, code: str = "violin") -> list:
    kind = instrument(code)
    return [
        actions.acquire_instrument(
            by=None,
            organisation=depot,
            asset_tag=f"LO-{next(_tags):05d}",
            instrument_type=kind,
            acquired_via="donation",
        )
        for _ in range(n)
    ]
