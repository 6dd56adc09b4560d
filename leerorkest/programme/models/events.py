"""Partner organisations, agreements, concerts and other events."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerorkest.accounts.models import Organisation


class Partner(models.Model):
    class Kind(models.TextChoices):
        ORCHESTRA = "orchestra", _("Orchestra")
        VENUE = "venue", _("Venue")
        CULTURAL_CENTRE = "cultural_centre", _("Cultural centre")
        WELFARE = "welfare", _("Welfare organisation")
        YOUTH_FUND = "youth_fund", _("Youth fund")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("agreement"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    notes = models.TextField(_("what was agreed"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    class Kind(models.TextChoices):
        CONCERT = "concert", _("Concert")
        REHEARSAL = "rehearsal", _("Joint rehearsal")
        WORKSHOP = "workshop", pgettext_lazy("kind of event", "Workshop")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.CONCERT)
    venue = models.CharField(_("venue"), max_length=200)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    ensembles = models.ManyToManyField(
        "programme.Ensemble", verbose_name=_("ensembles"), related_name="events", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventTask(models.Model):
    """One line of an event's logistics checklist (instrument transport, stands, chairs…)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tasks")
    label = models.CharField(_("task"), max_length=200)
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label
