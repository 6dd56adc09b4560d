"""A2 builders for the donation pages and API (see access_workshop.py for the set-up)."""

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.depot.tests.builders import make_depot
from leerorkest.donations.models import Donation, DonationItem, Donor


def _donation(p) -> Donation:
    depot = make_depot()
    Membership.objects.get_or_create(user=p.owner, organisation=depot, role=Role.DEPOT_STAFF)
    Membership.objects.get_or_create(
        user=p.outsider, organisation=make_depot(), role=Role.DEPOT_STAFF
    )
    donor = Donor.objects.create(
        organisation=depot, kind="person", name="A. Gever", email="gever@test.example"
    )
    donation = Donation.objects.create(organisation=depot, donor=donor)
    DonationItem.objects.create(donation=donation, description="Violin in a case")
    return donation


OBJECT_URLS = {
    "donations:detail": lambda p: ("get", {"pk": _donation(p).pk}),
    "donations:letter": lambda p: ("get", {"pk": _donation(p).pk}),
    "donations:thank": lambda p: ("post", {"pk": _donation(p).pk}),
    "donations:item_assess": lambda p: ("post", {"pk": _donation(p).items.get().pk}),
    "donations:donor_detail": lambda p: ("get", {"pk": _donation(p).donor_id}),
    "donations:donor_erase": lambda p: ("post", {"pk": _donation(p).donor_id}),
}

OBJECT_OPERATIONS = {
    "/donations/{donation_id}": lambda p: {"donation_id": _donation(p).pk},
}
