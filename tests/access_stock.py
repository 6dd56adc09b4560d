"""A2 builders for the stock handling: labels, inventory imports, stock-takes, transport runs
and deliveries.

Depot pages: each builder makes a depot whose staff includes personas.owner, and makes the
outsider staff of another depot, so the outsider passes the role rule and meets the 404 of the
object lookup. Deliveries: the depot ships to personas.organisation, where the owner is the
coordinator; the outsider coordinates another (partner) programme.
"""

from datetime import date

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Location
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.stock import actions


def _depot(p):
    depot = make_depot()
    Membership.objects.get_or_create(user=p.owner, organisation=depot, role=Role.DEPOT_STAFF)
    Membership.objects.get_or_create(
        user=p.outsider, organisation=make_depot(), role=Role.DEPOT_STAFF
    )
    return depot


def _instrument(p):
    return make_stock(_depot(p))[0]


def _import(p):
    depot = _depot(p)
    return actions.upload_inventory(
        depot=depot, filename="inventaris.csv", content=b"Instrument;Maat\nViool;1/2\n", by=p.owner
    )


def _stocktake(p):
    depot = _depot(p)
    location = Location.objects.create(organisation=depot, name="Stelling A", kind="shelf")
    return actions.start_stocktake(location=location, by=p.owner)


def _run(p):
    return actions.create_run(depot_org=_depot(p), by=p.owner, date=date(2026, 9, 1))


def _stop(p):
    return actions.add_stop(run=_run(p), borrower=p.organisation, by=p.owner)


def _packed(p):
    stop = _stop(p)
    instrument = make_stock(stop.run.organisation)[0]
    actions.pack(stop=stop, tags=[instrument.asset_tag], by=p.owner)
    return stop.items.get()


def _shipped(p):
    """An instrument in transit to the owner's programme."""
    instrument = make_stock(make_depot())[0]
    depot_actions.checkout_instrument(
        instrument=instrument, borrower=p.organisation, by=None, ship=True
    )
    return instrument


def _pk(builder, method="get"):
    return lambda p: (method, {"pk": builder(p).pk})


OBJECT_URLS = {
    "stock:label": _pk(_instrument),
    "stock:import_detail": _pk(_import),
    "stock:import_columns": _pk(_import, "post"),
    "stock:import_commit": _pk(_import, "post"),
    "stock:import_discard": _pk(_import, "post"),
    "stock:stocktake_detail": _pk(_stocktake),
    "stock:stocktake_scan": _pk(_stocktake, "post"),
    "stock:stocktake_close": _pk(_stocktake, "post"),
    "stock:run_detail": _pk(_run),
    "stock:run_sheet": _pk(_run),
    "stock:stop_add": _pk(_run, "post"),
    "stock:run_depart": _pk(_run, "post"),
    "stock:run_finish": _pk(_run, "post"),
    "stock:stop_detail": _pk(_stop),
    "stock:stop_print": _pk(_stop),
    "stock:stop_pack": _pk(_stop, "post"),
    "stock:stop_fill": _pk(_stop, "post"),
    "stock:stop_remove": _pk(_stop, "post"),
    "stock:item_remove": _pk(_packed, "post"),
    "stock:delivery_confirm": _pk(_shipped, "post"),
    "stock:delivery_problem": _pk(_shipped, "post"),
}

OBJECT_OPERATIONS = {
    "/transport-runs/{run_id}": lambda p: {"run_id": _run(p).pk},
    "/stocktakes/{stocktake_id}/scans": lambda p: {"stocktake_id": _stocktake(p).pk},
}
