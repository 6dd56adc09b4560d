"""Background tasks of the donations app (run by `leerorkest db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from leerorkest.donations.actions import can_email_thanks, reach
from leerorkest.donations.models import Donation


@task()
def send_thank_you(donation_id: int) -> bool:
    """E-mail the donor's thank-you; False when there is no address or no consent (any more)."""
    donation = Donation.objects.select_related("donor", "organisation").filter(pk=donation_id)
    donation = donation.first()
    if donation is None or not can_email_thanks(donation):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"donation": donation, "donor": donation.donor, "reach": reach(donation)}
        send_mail(
            subject=_("Thank you for your donation to %(depot)s")
            % {"depot": donation.organisation.name},
            message=render_to_string("donations/email/thank_you.txt", context),
            from_email=None,
            recipient_list=[donation.donor.email],
        )
    Donation.objects.filter(pk=donation.pk).update(thanked_at=timezone.now())
    return True
