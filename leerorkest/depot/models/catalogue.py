"""The depot's catalogue beyond instrument types and sizes: makes and models, and the kit that
belongs with each instrument (case, bow, mouthpiece…), checked on every return."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentModel(models.Model):
    """A make and model the depot keeps (Stentor Student II violin, Yamaha YTR-2330…)."""

    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.CASCADE,
        related_name="models",
    )
    make = models.CharField(_("make"), max_length=80)
    name = models.CharField(_("model"), max_length=80)

    class Meta:
        verbose_name = _("make and model")
        verbose_name_plural = _("makes and models")
        ordering = ["instrument_type__sort_order", "make", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_type", "make", "name"], name="instrument_model_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.make} {self.name}"


class KitItem(models.Model):
    """Something that goes out with every instrument of a type: the case, a bow, a mouthpiece,
    a lyre. The return inspection asks whether each one came back."""

    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.CASCADE,
        related_name="kit_items",
    )
    name = models.CharField(_("item"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("kit item")
        verbose_name_plural = _("kit items")
        ordering = ["instrument_type__sort_order", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["instrument_type", "name"], name="kit_item_unique"),
        ]

    def __str__(self) -> str:
        return self.name
