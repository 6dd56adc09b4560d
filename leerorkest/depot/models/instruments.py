"""Instruments of the depot, where they are, and everything that happened to them.

An instrument's status is derived from what happened: every change is an append-only
InstrumentEvent, and `status` is the cached result of the latest one, written in the same
transaction by `leerorkest.depot.actions` only.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation


class Size(models.Model):
    """A size an instrument type comes in (violin 1/16–4/4, cello 1/8–4/4, viola in inches)."""

    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.CASCADE,
        related_name="sizes",
    )
    label = models.CharField(_("size"), max_length=20)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("size")
        verbose_name_plural = _("sizes")
        ordering = ["instrument_type__sort_order", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument_type", "label"], name="size_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Location(models.Model):
    """A place an instrument can be: a depot shelf, a workshop, a programme, a school."""

    class Kind(models.TextChoices):
        SHELF = "shelf", _("Depot shelf")
        WORKSHOP = "workshop", _("Workshop")
        PROGRAMME = "programme", _("Programme")
        SCHOOL = "school", _("School")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    # Where the place is, for "nearest stock first" in allocation and for transport runs.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    IN_TRANSIT = "in_transit", _("In transit")
    ON_LOAN = "on_loan", _("On loan")
    IN_REPAIR = "in_repair", _("In repair")
    CLEANING = "cleaning", _("Awaiting cleaning")
    RETIRED = "retired", _("Retired")
    LOST = "lost", _("Lost")


class Condition(models.TextChoices):
    A = "A", _("A: as new")
    B = "B", _("B: good")
    C = "C", _("C: playable, worn")
    D = "D", _("D: needs repair")


class InstrumentQuerySet(models.QuerySet):
    def for_user(self, user) -> "InstrumentQuerySet":
        """The depot's staff see its whole stock; a programme sees the instruments it has on
        loan now."""
        visible = Organisation.objects.for_user(user)
        return self.filter(
            Q(organisation__in=visible)
            | Q(loans__borrower__in=visible, loans__returned_at__isnull=True)
        ).distinct()


class Instrument(models.Model):
    class Acquired(models.TextChoices):
        DONATION = "donation", _("Donation")
        PURCHASE = "purchase", _("Purchase")
        TRANSFER = "transfer", _("Transfer")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="instruments",
    )
    asset_tag = models.CharField(_("asset tag"), max_length=20, unique=True)
    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.ForeignKey(
        Size,
        verbose_name=_("size"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    make = models.CharField(_("make"), max_length=80, blank=True)
    model_name = models.CharField(_("model"), max_length=80, blank=True)
    serial = models.CharField(_("serial number"), max_length=60, blank=True)
    value_cents = models.PositiveIntegerField(_("value (cents)"), default=0)
    acquired_via = models.CharField(_("came by"), max_length=10, choices=Acquired.choices)
    acquired_on = models.DateField(_("came on"), default=timezone.localdate)
    condition = models.CharField(
        _("condition"), max_length=1, choices=Condition.choices, default=Condition.B
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    # Cached from the events by the depot's actions; never set anywhere else.
    reserved_for = models.ForeignKey(
        Organisation,
        verbose_name=_("reserved for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InstrumentStatus.choices,
        default=InstrumentStatus.AVAILABLE,
        db_index=True,
    )

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["asset_tag"]
        indexes = [
            models.Index(
                fields=["instrument_type", "size", "status"], name="instrument_stock_lookup"
            ),
            # Counts by status per depot (home page, figures) without reading every row.
            models.Index(fields=["organisation", "status"], name="instrument_status_count"),
        ]

    def __str__(self) -> str:
        size = f" {self.size}" if self.size_id else ""
        return f"{self.asset_tag} {self.instrument_type}{size}"

    def current_value_cents(self, today=None) -> int:
        """Purchase or appraisal value, written off straight-line by DEPRECIATION_PER_YEAR down
        to DEPRECIATION_FLOOR of it (instruments keep a second-hand value)."""
        today = today or timezone.localdate()
        years = max(0, (today - self.acquired_on).days) / 365.25
        share = max(DEPRECIATION_FLOOR, 1 - DEPRECIATION_PER_YEAR * years)
        return round(self.value_cents * share)


DEPRECIATION_PER_YEAR = 0.10
DEPRECIATION_FLOOR = 0.20


class InstrumentPhoto(models.Model):
    """A photo of an instrument (intake, damage, after repair)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("photo"), upload_to="instruments/%Y/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("added"), default=timezone.now)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.image.name}"


class EventKind(models.TextChoices):
    ACQUIRED = "acquired", _("Came into the depot")
    CHECKED_OUT = "checked_out", _("Lent to a programme")
    RETURNED = "returned", _("Returned")
    TRANSFERRED = "transferred", _("Moved to another programme")
    SENT_TO_REPAIR = "to_repair", _("Sent to repair")
    REPAIRED = "repaired", _("Repaired")
    CLEANED = "cleaned", _("Cleaned")
    LOST = "lost", _("Reported lost")
    FOUND = "found", _("Found again")
    RETIRED = "retired", _("Retired")
    MOVED = "moved", _("Moved")
    RESERVED = "reserved", _("Reserved for a programme")
    UNRESERVED = "unreserved", _("Reservation released")
    SHIPPED = "shipped", _("Sent on a transport run")
    RECEIVED = "received", _("Receipt confirmed by the programme")
    INSPECTED = "inspected", _("Inspected")
    SIZE_SWAPPED = "size_swap", _("Swapped for another size")
    DAMAGE_REPORTED = "damage", _("Damage reported")
    STOCKTAKE = "stocktake", _("Stock-take correction")
    HARVESTED = "harvested", _("Parts harvested")


class InstrumentEvent(models.Model):
    """Append-only (database triggers): the instrument's whole life, one row per happening."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status_after = models.CharField(max_length=12, choices=InstrumentStatus.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    loan = models.ForeignKey(
        "depot.Loan", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("instrument event")
        verbose_name_plural = _("instrument events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.kind} {self.at:%Y-%m-%d}"
