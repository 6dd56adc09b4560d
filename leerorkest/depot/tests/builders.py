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


def sized(depot, code: str, label: str, n: int = 1) -> list:
    """Instruments of one size (the size is made if this worker's flush removed it)."""
    from leerorkest.depot.models import Size
    from leerorkest.depot.sizes import SIZES

    kind = instrument(code)
    size = Size.objects.get_or_create(
        instrument_type=kind,
        label=label,
        defaults={"sort_order": SIZES.get(code, [label]).index(label)},
    )[0]
    return [
        actions.acquire_instrument(
            by=None,
            organisation=depot,
            asset_tag=f"LO-{next(_tags):05d}",
            instrument_type=kind,
            size=size,
            acquired_via="purchase",
        )
        for _ in range(n)
    ]


def lent(depot, borrower, n: int = 1, code: str = "violin") -> list:
    """Loans of new instruments to `borrower` (received: on loan)."""
    return [
        actions.checkout_instrument(instrument=i, borrower=borrower, by=None)
        for i in make_stock(depot, n, code=code)
    ]


def published_version(depot, version: str = "2026-1", text: str = "The terms of the loan."):
    from leerorkest.depot import agreements

    draft = agreements.save_draft(depot=depot, version=version, text=text, by=None)
    return agreements.publish_version(version=draft, by=None)
