"""A2 builders for the depot pages.

personas.organisation is a programme, and depot pages are for depot staff: each builder makes a
depot whose staff includes personas.owner, and makes the outsider staff of another depot, so the
outsider passes the role rule and must meet the 404 of the object lookup.
"""

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions, agreements
from leerorkest.depot.tests.builders import make_depot, make_stock


def _depot(p):
    depot = make_depot()
    Membership.objects.get_or_create(user=p.owner, organisation=depot, role=Role.DEPOT_STAFF)
    Membership.objects.get_or_create(
        user=p.outsider, organisation=make_depot(), role=Role.DEPOT_STAFF
    )
    return depot


def _instrument(p):
    return make_stock(_depot(p))[0]


def _version(p, *, published=False):
    version = agreements.save_draft(depot=_depot(p), version="2026-1", text="Terms.", by=None)
    if published:
        agreements.publish_version(version=version, by=None)
    return version


def _accepted(p):
    """An agreement personas.organisation accepted (the owner is its coordinator); the
    outsider coordinates another programme."""
    version = _version(p, published=True)
    agreement = agreements.accept_agreement(
        borrower=p.organisation, version=version, full_name="Owner Person", by=p.owner
    )
    return "get", {"pk": agreement.pk}


def _photo(p):
    from django.core.files.base import ContentFile

    from leerorkest.depot.models import InstrumentPhoto

    instrument = _instrument(p)
    photo = InstrumentPhoto(instrument=instrument)
    photo.image.save("test.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return {"pk": instrument.pk, "photo_pk": photo.pk}


OBJECT_URLS = {
    "depot:instrument_detail": lambda p: ("get", {"pk": _instrument(p).pk}),
    "depot:photo_add": lambda p: ("post", {"pk": _instrument(p).pk}),
    "depot:photo_view": lambda p: ("get", _photo(p)),
    "depot:instrument_change": lambda p: (
        "post",
        {"pk": _instrument(p).pk, "action": "repair"},
    ),
    "depot:agreement_version": lambda p: ("get", {"pk": _version(p).pk}),
    "depot:agreement_publish": lambda p: ("post", {"pk": _version(p).pk}),
    "depot:agreement_print": _accepted,
}


def _loan(p):
    [instrument] = make_stock(make_depot())
    return actions.checkout_instrument(instrument=instrument, borrower=p.organisation, by=None)


# API: the owner coordinates personas.organisation, which has the instrument on loan.
OBJECT_OPERATIONS = {
    "/depot/instruments/{instrument_id}": lambda p: {"instrument_id": _loan(p).instrument_id},
    "/depot/loans/{loan_id}": lambda p: {"loan_id": _loan(p).pk},
}
