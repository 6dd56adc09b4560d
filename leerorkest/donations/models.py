"""Donors, donations and the donated items with their assessment and the instrument each became.

A donor's name and contact details are personal data (declared in the processing register from
DonationsConfig.ready); whether the donor may be thanked and named is their own choice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation


class Donor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="donors"
    )
    kind = models.CharField(_("donor is a"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    consent_thanks = models.BooleanField(_("may be thanked"), default=False)
    consent_named = models.BooleanField(_("may be named"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    # Set when the donor asked to be erased: name and contact details are a pseudonym since.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        # The audit trail is append-only: a name written there could never be erased.
        return f"Donor #{self.pk}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def public_name(self) -> str:
        """The name to show outside the depot's own records."""
        if self.consent_named and not self.is_erased:
            return self.name
        return str(_("a private donor"))


class Donation(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="donations"
    )
    donor = models.ForeignKey(
        Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="donations"
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    location = models.ForeignKey(
        "depot.Location",
        verbose_name=_("received at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intake by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    thanked_at = models.DateTimeField(_("thank-you e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.received_on:%Y-%m-%d}"


class DonationItem(models.Model):
    class Assessment(models.TextChoices):
        PENDING = "pending", _("Not assessed yet")
        PLAYABLE = "playable", _("Playable")
        NEEDS_REPAIR = "needs_repair", _("Needs repair")
        PARTS_ONLY = "parts_only", _("Parts only")
        SCRAP = "scrap", _("Scrap")

    donation = models.ForeignKey(
        Donation, verbose_name=_("donation"), on_delete=models.PROTECT, related_name="items"
    )
    description = models.CharField(_("what"), max_length=200)
    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    size = models.ForeignKey(
        "depot.Size",
        verbose_name=_("size"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    make = models.CharField(_("make"), max_length=80, blank=True)
    model_name = models.CharField(_("model"), max_length=80, blank=True)
    serial = models.CharField(_("serial number"), max_length=60, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=12, choices=Assessment.choices, default=Assessment.PENDING
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    instrument = models.OneToOneField(
        "depot.Instrument",
        verbose_name=_("became"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donation_item",
    )

    class Meta:
        verbose_name = _("donated item")
        verbose_name_plural = _("donated items")
        ordering = ["donation", "pk"]

    def __str__(self) -> str:
        return self.description
