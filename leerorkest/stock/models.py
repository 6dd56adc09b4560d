"""Handling the depot's stock: inventory imports, stock-takes per location, and transport runs.

No model here changes an instrument: every change to an instrument goes through
`leerorkest.depot.actions`, which writes its append-only event. These models record the work
around it (what was scanned, what is packed for which stop, which file was imported).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation

# --- Inventory import (target B2) ----------------------------------------------------------------


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("Has errors")
    PREVIEWED = "previewed", _("Ready to commit")
    COMMITTING = "committing", _("Being committed")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")


class StockImport(models.Model):
    """An uploaded inventory spreadsheet. The file lives in the database until committed."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.INVALID
    )
    mapping = models.JSONField(default=dict, help_text="Column of the file per field.")
    report = models.JSONField(default=dict, help_text="Errors, or the preview's counts and rows.")
    committed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("inventory import")
        verbose_name_plural = _("inventory imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class ImportedLine(models.Model):
    """One spreadsheet row that became an instrument. Its fingerprint (the row's cleaned values
    and how many identical rows came before it in the file) makes a re-import of the same file
    create nothing twice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    stock_import = models.ForeignKey(StockImport, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    instrument = models.OneToOneField(
        "depot.Instrument", on_delete=models.PROTECT, related_name="imported_line"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fingerprint"], name="stock_import_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stock_import_id}:{self.row}"


# --- Stock-take ----------------------------------------------------------------------------------


class StockTake(models.Model):
    """Counting what is at one depot location: scans, then discrepancies, then corrections."""

    class Status(models.TextChoices):
        OPEN = "open", _("Counting")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.CASCADE, related_name="+"
    )
    location = models.ForeignKey(
        "depot.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="stocktakes",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The discrepancies as they were when closed, and what was done with each.
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("stock-take")
        verbose_name_plural = _("stock-takes")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["location"],
                condition=models.Q(status="open"),
                name="stocktake_one_open_per_location",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.started_at:%Y-%m-%d}"


class StockTakeScan(models.Model):
    """A tag scanned during a stock-take; scanning it again changes nothing."""

    stocktake = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="scans")
    tag = models.CharField(_("asset tag"), max_length=40)
    instrument = models.ForeignKey(
        "depot.Instrument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "tag"], name="stocktake_scan_unique"),
        ]

    def __str__(self) -> str:
        return self.tag


# --- Transport runs ------------------------------------------------------------------------------


class TransportRun(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDERWAY = "underway", _("Underway")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("date"))
    driver = models.CharField(_("driver"), max_length=120, blank=True)
    vehicle = models.CharField(_("vehicle"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.CharField(_("notes"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("transport run")
        verbose_name_plural = _("transport runs")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.driver}".strip()


class Stop(models.Model):
    run = models.ForeignKey(TransportRun, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    borrower = models.ForeignKey(
        Organisation, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["run", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.borrower}"


class PackedItem(models.Model):
    """An instrument on a stop's packing list; its loan once the run departed."""

    class Issue(models.TextChoices):
        NONE = "", _("None")
        MISSING = "missing", _("Did not arrive")
        DAMAGED = "damaged", _("Arrived damaged")

    run = models.ForeignKey(TransportRun, on_delete=models.CASCADE, related_name="items")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="items")
    instrument = models.ForeignKey(
        "depot.Instrument", on_delete=models.PROTECT, related_name="packed_items"
    )
    loan = models.ForeignKey(
        "depot.Loan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    # Why it was not shipped when the run left (it was no longer available, say).
    refused = models.CharField(max_length=250, blank=True)
    issue = models.CharField(
        _("problem"), max_length=10, choices=Issue.choices, blank=True, default=""
    )
    issue_note = models.CharField(_("note"), max_length=250, blank=True)
    issue_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["stop__order", "instrument__asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["run", "instrument"], name="packed_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.stop_id}:{self.instrument_id}"
