"""Leerorkest Academie: workshops for the programmes' musicians and who registered for them."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation


class WorkshopStatus(models.TextChoices):
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


# Registrations that take one of the workshop's places.
HOLDING_A_PLACE = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.ABSENT,
)


class AcademieWorkshopQuerySet(models.QuerySet):
    def upcoming(self, now=None) -> "AcademieWorkshopQuerySet":
        return self.filter(starts_at__gte=now or timezone.now())

    def with_counts(self) -> "AcademieWorkshopQuerySet":
        """Places taken and people waiting, counted in the same query."""
        return self.annotate(
            taken=Count("registrations", filter=Q(registrations__status__in=HOLDING_A_PLACE)),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )


class AcademieWorkshop(models.Model):
    """One Academie workshop (a single session) organised by a programme."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="academie_workshops",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Counted in the training record of everyone who attends."),
    )
    open_to_all_programmes = models.BooleanField(
        _("open to teachers of other programmes"),
        default=False,
        help_text=_("Otherwise only the teachers and coordinators of the organiser see it."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=WorkshopStatus.choices, default=WorkshopStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AcademieWorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("Academie workshop")
        verbose_name_plural = _("Academie workshops")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="academie_workshop_ends_after"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="academie_capacity_positive"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="academie_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=WorkshopStatus.values), name="academie_workshop_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="academie_org_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_bookable(self) -> bool:
        return self.status == WorkshopStatus.OPEN and not self.has_started

    @property
    def free_places(self) -> int:
        """Needs `with_counts()`."""
        return max(self.capacity - self.taken, 0)


class Registration(models.Model):
    """A person's place (or place in the queue) at a workshop: one row per person per workshop."""

    workshop = models.ForeignKey(
        AcademieWorkshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="academie_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(
        _("registered"),
        default=timezone.now,
        help_text=_("The waiting list is served in this order."),
    )
    attended_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attended_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    # The training-record rows this registration wrote, so un-marking removes exactly those and
    # marking again never adds a second one.
    training_records = models.ManyToManyField(
        "programme.TrainingRecord", related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("Academie registration")
        verbose_name_plural = _("Academie registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"], name="academie_one_registration_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="academie_registration_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["workshop", "status", "registered_at"], name="academie_reg_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.workshop}"

    def waiting_position(self) -> int | None:
        """1 for the next person to move up; None when not on the waiting list."""
        if self.status != RegistrationStatus.WAITING:
            return None
        ahead = Q(registered_at__lt=self.registered_at) | Q(
            registered_at=self.registered_at, pk__lte=self.pk
        )
        return Registration.objects.filter(
            ahead, workshop_id=self.workshop_id, status=RegistrationStatus.WAITING
        ).count()

    @property
    def audit_label(self) -> str:
        return f"registration {self.pk} · {self.workshop.title}"[:200]
