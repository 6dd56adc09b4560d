"""What the desk writes when instruments come back: the inspection of each one, and the
reminders sent about loans that are due."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.depot.models.instruments import Condition


class Outcome(models.TextChoices):
    READY = "ready", _("Ready (available)")
    CLEANING = "cleaning", _("Cleaning")
    REPAIR = "repair", _("Repair")


class Inspection(models.Model):
    """A short inspection of a returned instrument: condition, kit complete, damage, and where
    it goes next."""

    instrument = models.ForeignKey(
        "depot.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    loan = models.ForeignKey(
        "depot.Loan",
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    condition = models.CharField(_("condition"), max_length=1, choices=Condition.choices)
    missing_kit = models.ManyToManyField(
        "depot.KitItem", verbose_name=_("missing kit"), blank=True, related_name="+"
    )
    damage = models.CharField(_("damage"), max_length=250, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.condition} {self.outcome}"


class ReminderSent(models.Model):
    """One reminder stage sent for one loan: a stage is never sent twice (unique)."""

    loan = models.ForeignKey(
        "depot.Loan", verbose_name=_("loan"), on_delete=models.PROTECT, related_name="reminders"
    )
    # Days relative to the due date (settings.REMINDER_DAYS): -7 is a week before, 14 two weeks
    # after.
    stage = models.SmallIntegerField(_("stage"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "stage"], name="reminder_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.stage:+d}"
