"""Teachers and conductors: freelance musicians working for a programme."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.schools.models import District
from leerorkest.schools.models.years import Weekday

VOG_VALID_DAYS = 3 * 365  # the programme asks for a new certificate every three years
VOG_WARNING_DAYS = 60


class TeacherQuerySet(models.QuerySet):
    def for_user(self, user) -> "TeacherQuerySet":
        """Teachers of the programmes the user belongs to (colleagues see each other's names)."""
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class TravelMode(models.TextChoices):
    BICYCLE = "bicycle", _("By bicycle")
    TRANSIT = "transit", _("By public transport")


class Teacher(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="teachers",
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher_profiles",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    instruments = models.ManyToManyField(
        "programme.InstrumentType",
        verbose_name=_("instruments taught"),
        related_name="teachers",
        blank=True,
    )
    is_conductor = models.BooleanField(_("conductor"), default=False)
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), related_name="+", blank=True
    )
    contracted_hours = models.DecimalField(
        _("contracted hours per week"), max_digits=4, decimal_places=1, default=0
    )
    max_hours_day = models.DecimalField(
        _("at most hours per day"), max_digits=3, decimal_places=1, default=6
    )
    max_hours_week = models.DecimalField(
        _("at most hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Empty: the contracted hours."),
    )
    min_paid_minutes_visit = models.PositiveSmallIntegerField(
        _("minimum paid minutes per school visit"), default=60
    )
    travel_mode = models.CharField(
        _("travels between schools"),
        max_length=10,
        choices=TravelMode.choices,
        default=TravelMode.BICYCLE,
        help_text=_("The planner estimates travel times between schools for this."),
    )
    vog_date = models.DateField(
        _("certificate of good conduct (VOG) issued"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TeacherQuerySet.as_manager()

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="teacher_one_profile_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def vog_expires_on(self):
        return self.vog_date + timedelta(days=VOG_VALID_DAYS) if self.vog_date else None

    @property
    def vog_status(self) -> str:
        """ "missing", "expired", "expiring" (within the warning period) or "valid"."""
        expires = self.vog_expires_on
        if expires is None:
            return "missing"
        today = timezone.localdate()
        if expires < today:
            return "expired"
        if expires <= today + timedelta(days=VOG_WARNING_DAYS):
            return "expiring"
        return "valid"


class TeacherAvailability(models.Model):
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="availability_window_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class TrainingRecord(models.Model):
    """A training a teacher followed (Academie workshops add rows here)."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="training")
    title = models.CharField(_("training"), max_length=200)
    attended_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("training")
        ordering = ["-attended_on"]

    def __str__(self) -> str:
        return self.title
