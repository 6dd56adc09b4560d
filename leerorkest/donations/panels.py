"""The instrument page's donation section: where the instrument came from."""

from leerorkest.donations.models import DonationItem
from leerorkest.workshop import access


def donation_panel(request, instrument):
    item = (
        DonationItem.objects.filter(instrument=instrument).select_related("donation__donor").first()
    )
    if item is None:
        return None
    return (
        "donations/panel.html",
        {
            "item": item,
            "donor_name": item.donation.donor.public_name(),
            "link": access.can_manage(request.user, item.donation.organisation_id),
        },
    )
