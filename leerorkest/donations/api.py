"""API for donations: the depot's staff and workshop leads read their depot's donations with
their items and the instruments they became."""

from datetime import date

from django.db.models import Count
from django.http import Http404
from ninja import Query, Router, Schema

from leerorkest.accounts.access import rule
from leerorkest.donations.actions import reach
from leerorkest.donations.models import Donation
from leerorkest.workshop import access
from leerorkest.workshop.access import MANAGE

router = Router(tags=["donations"])


class DonationOut(Schema):
    id: int
    received_on: date
    donor_id: int
    donor: str
    donor_kind: str
    items: int


class ItemOut(Schema):
    id: int
    description: str
    instrument_type: str | None
    size: str | None
    make: str
    model_name: str
    serial: str
    assessment: str
    instrument_id: int | None
    asset_tag: str | None


class DonationDetailOut(DonationOut):
    location: str | None
    note: str
    item_list: list[ItemOut]
    instruments: int
    children_reached: int
    programmes: list[str]


def _donations(user):
    return Donation.objects.filter(organisation__in=access.managed_depots(user)).select_related(
        "donor", "location"
    )


def _out(donation, items: int) -> dict:
    return {
        "id": donation.pk,
        "received_on": donation.received_on,
        "donor_id": donation.donor_id,
        "donor": donation.donor.name,
        "donor_kind": donation.donor.kind,
        "items": items,
    }


@router.get("/donations", response=list[DonationOut], summary="Donations of my depot")
@rule(MANAGE)
def donation_list(
    request,
    year: int | None = Query(None, ge=1900, le=2200),
    donor_id: int | None = None,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=200),
):
    donations = _donations(request.user).annotate(item_count=Count("items"))
    if year is not None:
        donations = donations.filter(received_on__year=year)
    if donor_id is not None:
        donations = donations.filter(donor_id=donor_id)
    rows = donations.order_by("-received_on", "-pk")[offset : offset + limit]
    return [_out(d, d.item_count) for d in rows]


@router.get(
    "/donations/{donation_id}", response=DonationDetailOut, summary="One donation, its items"
)
@rule(MANAGE)
def donation_detail(request, donation_id: int):
    donation = _donations(request.user).filter(pk=donation_id).first()
    if donation is None:
        raise Http404
    items = list(donation.items.select_related("instrument_type", "size", "instrument"))
    reached = reach(donation)
    return {
        **_out(donation, len(items)),
        "location": donation.location.name if donation.location else None,
        "note": donation.note,
        "item_list": [
            {
                "id": i.pk,
                "description": i.description,
                "instrument_type": i.instrument_type.code if i.instrument_type else None,
                "size": i.size.label if i.size else None,
                "make": i.make,
                "model_name": i.model_name,
                "serial": i.serial,
                "assessment": i.assessment,
                "instrument_id": i.instrument_id,
                "asset_tag": i.instrument.asset_tag if i.instrument else None,
            }
            for i in items
        ],
        "instruments": reached["instruments"],
        "children_reached": reached["children"],
        "programmes": reached["programmes"],
    }
