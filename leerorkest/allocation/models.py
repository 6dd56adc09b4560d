"""Instrument requests of programmes, and the depot's allocation runs that answer them.

A request asks the depot for instruments for a school year, line by line ("12 violins 1/2, one
size up allowed"). An allocation run proposes instruments for every open request at once
(`leerorkest.allocation.solver`); confirming it reserves them through the depot's actions, so
an instrument's status is only ever written there.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot.access import depots_held

MAX_QUANTITY = 500
PROGRAMME_ROLES = (Role.COORDINATOR, Role.PARTNER_COORDINATOR)
BORROWER_KINDS = (OrgKind.PROGRAMME, OrgKind.PARTNER)


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PARTLY_ALLOCATED = "partly", _("Partly allocated")
    ALLOCATED = "allocated", _("Allocated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.PARTLY_ALLOCATED)


def depots_for_user(user):
    """Depots whose requests and stock the user allocates: as depot staff, or every depot for
    a platform administrator."""
    return depots_held(user, [Role.DEPOT_STAFF])


def borrowers_for_user(user):
    """Programmes whose requests the user runs: where they are a (partner) coordinator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    held = Membership.objects.filter(user=user, role__in=PROGRAMME_ROLES).values("organisation_id")
    return Organisation.objects.filter(pk__in=held, kind__in=BORROWER_KINDS, is_active=True)


class InstrumentRequestQuerySet(models.QuerySet):
    def for_user(self, user):
        """A programme's coordinators see its requests; depot staff see the requests made to
        their depot; platform administrators see all."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        return self.filter(
            Q(borrower__in=borrowers_for_user(user)) | Q(depot__in=depots_for_user(user))
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class InstrumentRequest(models.Model):
    borrower = models.ForeignKey(
        Organisation,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="instrument_requests",
    )
    depot = models.ForeignKey(
        Organisation,
        verbose_name=_("depot"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the instruments go, if it is one school."),
    )
    school_year = models.ForeignKey(
        "schools.SchoolYear",
        verbose_name=_("school year"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    needed_by = models.DateField(_("needed by"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        db_index=True,
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = InstrumentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument request")
        verbose_name_plural = _("instrument requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="instrument_request_status"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.borrower}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestLine(models.Model):
    request = models.ForeignKey(InstrumentRequest, on_delete=models.CASCADE, related_name="lines")
    instrument_type = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
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
    quantity = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    allow_one_size_up = models.BooleanField(_("one size up is fine"), default=False)
    allow_one_size_down = models.BooleanField(_("one size down is fine"), default=False)

    class Meta:
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        ordering = ["request", "instrument_type__sort_order", "size__sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="request_line_quantity_range",
            ),
        ]

    def __str__(self) -> str:
        size = f" {self.size}" if self.size_id else ""
        return f"{self.quantity} × {self.instrument_type}{size}"


class AllocationRun(models.Model):
    """One run of the allocation over every open request of a depot: a proposal until a depot
    member confirms it (then its instruments are reserved)."""

    depot = models.ForeignKey(
        Organisation, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requests = models.ManyToManyField(InstrumentRequest, related_name="allocation_runs")
    solver_status = models.CharField(_("solver status"), max_length=20)
    objective = models.BigIntegerField(_("objective"), default=0)
    gap = models.FloatField(_("gap"), default=0.0)
    seconds = models.FloatField(_("seconds"), default=0.0)
    # Totals of this run and of the greedy baseline on the same data (see solver.figures).
    figures = models.JSONField(default=dict)
    greedy_figures = models.JSONField(default=dict)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class Allocation(models.Model):
    """One instrument proposed (and, once the run is confirmed, reserved) for a request line."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations")
    line = models.ForeignKey(RequestLine, on_delete=models.PROTECT, related_name="allocations")
    instrument = models.ForeignKey(
        "depot.Instrument", on_delete=models.PROTECT, related_name="allocations"
    )
    size_offset = models.SmallIntegerField(_("size"), default=0)
    # Set when the reservation was given up (the request was withdrawn).
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["run", "line", "instrument__asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["run", "instrument"], name="allocation_once_per_run"),
            models.CheckConstraint(
                condition=Q(size_offset__gte=-1, size_offset__lte=1),
                name="allocation_size_offset_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} → {self.line_id}"
