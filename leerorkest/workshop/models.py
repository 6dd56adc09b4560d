"""Workshops, the people in them, spare parts with their ledger, work orders with parts and labour
lines, and maintenance plans.

Costs are integer cents. A part's `on_hand` is cached from its append-only PartMovement ledger
by `leerorkest.workshop.actions` in the same transaction, and the database refuses a negative
stock. A work order's cost totals are cached the same way from its lines.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.programme.models import InstrumentFamily


class Skill(models.TextChoices):
    STRINGS = "strings", _("Strings")
    WOODWIND = "woodwind", _("Woodwind")
    BRASS = "brass", _("Brass")
    PERCUSSION = "percussion", _("Percussion")


# Plucked instruments (harp, guitar) go to the string makers, keys to percussion.
SKILL_FOR_FAMILY = {
    InstrumentFamily.STRINGS: Skill.STRINGS,
    InstrumentFamily.PLUCKED: Skill.STRINGS,
    InstrumentFamily.WOODWIND: Skill.WOODWIND,
    InstrumentFamily.BRASS: Skill.BRASS,
    InstrumentFamily.PERCUSSION: Skill.PERCUSSION,
    InstrumentFamily.KEYS: Skill.PERCUSSION,
}


def skill_for(instrument) -> str:
    return SKILL_FOR_FAMILY.get(instrument.instrument_type.family, Skill.STRINGS)


class Workshop(models.Model):
    """One of the depot's workshops, with the skills it has."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("depot"),
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    name = models.CharField(_("name"), max_length=120)
    location = models.ForeignKey(
        "depot.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="workshops",
        limit_choices_to={"kind": "workshop"},
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops_led",
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="workshop_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def skill_labels(self) -> list[str]:
        return [str(Skill(s).label) for s in self.skills if s in Skill.values]


class WorkshopMember(models.Model):
    """Someone who works in a workshop: a volunteer, an intern, someone on a work placement, or
    paid staff (with an hourly rate for the cost of a repair)."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        INTERN = "intern", _("Intern")
        PLACEMENT = "placement", _("Work placement")
        PAID = "paid", _("Paid staff")

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="workshop_memberships",
    )
    kind = models.CharField(_("works as"), max_length=10, choices=Kind.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    hourly_rate_cents = models.PositiveIntegerField(_("hourly rate (cents)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("workshop member")
        verbose_name_plural = _("workshop members")
        ordering = ["workshop__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="workshop_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.workshop}"

    @property
    def is_paid(self) -> bool:
        return self.kind == self.Kind.PAID


class PartQuerySet(models.QuerySet):
    def below_reorder(self):
        return self.filter(on_hand__lte=models.F("reorder_level"))


class Part(models.Model):
    """A spare part or consumable the workshops keep in stock (strings, bow hair, pads…)."""

    class Kind(models.TextChoices):
        SPARE = "spare", _("Spare part")
        CONSUMABLE = "consumable", _("Consumable")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="parts"
    )
    name = models.CharField(_("name"), max_length=120)
    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("for instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    family = models.CharField(
        _("for family"), max_length=12, choices=InstrumentFamily.choices, blank=True
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SPARE)
    unit_cost_cents = models.PositiveIntegerField(_("unit cost (cents)"), default=0)
    # Cached from the movements by the actions; never set anywhere else.
    on_hand = models.IntegerField(_("on hand"), default=0)
    reorder_level = models.PositiveIntegerField(_("reorder level"), default=0)

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="part_unique_name"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="part_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_reorder(self) -> bool:
        return self.on_hand <= self.reorder_level


class PartMovement(models.Model):
    """Append-only (database triggers): every change of a part's stock."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchased")
        USED = "used", _("Used on a work order")
        HARVESTED = "harvested", _("Harvested")
        CORRECTION = "correction", _("Correction")

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))  # negative when taken off stock
    unit_cost_cents = models.PositiveIntegerField(_("unit cost (cents)"), default=0)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    work_order = models.ForeignKey(
        "workshop.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="part_movements",
    )
    # Harvested from this (retired or donated) instrument.
    instrument = models.ForeignKey(
        "depot.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="part_movements",
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("part movement")
        verbose_name_plural = _("part movements")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.part_id} {self.quantity:+d}"


class WorkOrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=WorkOrder.OPEN)


class WorkOrder(models.Model):
    class Source(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        DAMAGE_REPORT = "damage_report", _("Damage report")
        MAINTENANCE = "maintenance", _("Maintenance")
        MANUAL = "manual", _("Manual")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the instrument")
        QUEUED = "queued", _("Queued")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_QA = "awaiting_qa", _("Awaiting QA")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.WAITING, Status.QUEUED, Status.IN_PROGRESS, Status.AWAITING_QA)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="work_orders"
    )
    instrument = models.ForeignKey(
        "depot.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="work_orders"
    )
    source = models.CharField(_("came from"), max_length=14, choices=Source.choices)
    skill = models.CharField(_("skill"), max_length=12, choices=Skill.choices)
    description = models.TextField(_("what needs doing"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    # The programme that reported the damage, if it came from a damage report.
    reported_by = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ready_for_qa_at = models.DateTimeField(_("ready for QA"), null=True, blank=True)
    qa_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("QA signed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    qa_signed_at = models.DateTimeField(_("QA signed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Cached from the lines by the actions.
    parts_cost_cents = models.PositiveIntegerField(_("parts (cents)"), default=0)
    labour_cost_cents = models.PositiveIntegerField(_("paid labour (cents)"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, default=Decimal(0))

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(status__in=["waiting", "queued", "in_progress", "awaiting_qa"]),
                name="one_open_work_order_per_instrument",
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status"], name="work_order_queue")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.instrument}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def cost_cents(self) -> int:
        return self.parts_cost_cents + self.labour_cost_cents

    def cost_limit_cents(self, value_cents: int | None = None) -> int:
        if value_cents is None:
            value_cents = self.instrument.current_value_cents()
        return value_cents * settings.REPAIR_COST_WARNING_PERCENT // 100

    def cost_warning(self, value_cents: int | None = None) -> bool:
        """Parts and paid labour cost more than the set share of the instrument's value."""
        if value_cents is None:
            value_cents = self.instrument.current_value_cents()
        return self.cost_cents > self.cost_limit_cents(value_cents)


class PartLine(models.Model):
    """A part from stock used on a work order, at the cost it had then."""

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="part_lines"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_cost_cents = models.PositiveIntegerField(_("unit cost (cents)"))
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("parts line")
        verbose_name_plural = _("parts lines")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.quantity}× {self.part_id}"

    @property
    def cost_cents(self) -> int:
        return self.quantity * self.unit_cost_cents


class LabourLine(models.Model):
    """Hours worked on a work order; paid hours count towards the cost at the rate of the day."""

    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="labour_lines",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worked_on = models.DateField(_("date"), default=timezone.localdate)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    paid = models.BooleanField(_("paid"), default=False)
    rate_cents = models.PositiveIntegerField(_("hourly rate (cents)"), default=0)
    note = models.CharField(_("note"), max_length=250, blank=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("labour line")
        verbose_name_plural = _("labour lines")
        ordering = ["worked_on", "id"]

    def __str__(self) -> str:
        return f"{self.hours} h {self.worker_id}"

    @property
    def cost_cents(self) -> int:
        return round(self.hours * self.rate_cents) if self.paid else 0


class MaintenancePlan(models.Model):
    """Service every instrument of a type (or family) every so many months (yearly woodwind
    service): `leerorkest maintenance` opens the work orders that are due."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("depot"),
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
    )
    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    family = models.CharField(
        _("family"), max_length=12, choices=InstrumentFamily.choices, blank=True
    )
    interval_months = models.PositiveSmallIntegerField(_("every (months)"), default=12)
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
    )
    skill = models.CharField(_("skill"), max_length=12, choices=Skill.choices)
    description = models.CharField(_("what to do"), max_length=250, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        ordering = ["workshop__name", "family", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(family="") | Q(instrument_type__isnull=False),
                name="maintenance_plan_has_target",
            ),
            models.CheckConstraint(
                condition=Q(interval_months__gte=1), name="maintenance_plan_interval"
            ),
        ]

    def __str__(self) -> str:
        target = self.instrument_type or self.get_family_display()
        return f"{target} / {self.interval_months}"
