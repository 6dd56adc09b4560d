"""School years, holidays, and each school's participation in a year."""

from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.schools.models.places import HolidayRegion, School

YEAR_GROUPS = [(n, _("groep %(n)s") % {"n": n}) for n in range(1, 9)]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class SchoolYearQuerySet(models.QuerySet):
    def containing(self, day: date) -> "SchoolYear | None":
        return self.filter(starts_on__lte=day, ends_on__gte=day).first()

    def current(self) -> "SchoolYear | None":
        return self.containing(timezone.localdate())


class SchoolYear(models.Model):
    """1 August to 31 July. Shared by all programmes."""

    starts_on = models.DateField(_("starts on"), unique=True)
    ends_on = models.DateField(_("ends on"), unique=True)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="school_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on.year}-{self.ends_on.year}"

    @classmethod
    def for_start_year(cls, year: int) -> "SchoolYear":
        school_year, _created = cls.objects.get_or_create(
            starts_on=date(year, 8, 1), defaults={"ends_on": date(year + 1, 7, 31)}
        )
        return school_year

    def next(self) -> "SchoolYear":
        return SchoolYear.for_start_year(self.starts_on.year + 1)

    def previous(self) -> "SchoolYear":
        return SchoolYear.for_start_year(self.starts_on.year - 1)

    def lesson_weeks(self, region: str) -> list[date]:
        """Mondays of the weeks with school in the region: every week but the holiday weeks.

        A week counts as a holiday week when a holiday covers all of Monday to Friday; a single
        day off (King's Day) does not cancel the week.
        """
        holidays = list(self.holidays.filter(region=region))
        monday = self.starts_on - timedelta(days=self.starts_on.weekday())
        weeks = []
        while monday <= self.ends_on:
            friday = monday + timedelta(days=4)
            off = any(h.starts_on <= monday and h.ends_on >= friday for h in holidays)
            if friday >= self.starts_on and not off:
                weeks.append(monday)
            monday += timedelta(days=7)
        return weeks

    def first_school_day(self, region: str) -> date | None:
        weeks = self.lesson_weeks(region)
        return weeks[0] if weeks else None


class Holiday(models.Model):
    class Kind(models.TextChoices):
        AUTUMN = "autumn", _("Autumn holiday")
        CHRISTMAS = "christmas", _("Christmas holiday")
        SPRING = "spring", _("Spring holiday")
        MAY = "may", _("May holiday")
        SUMMER = "summer", _("Summer holiday")
        OTHER = "other", _("Other day off")

    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="holidays"
    )
    region = models.CharField(_("region"), max_length=10, choices=HolidayRegion.choices)
    kind = models.CharField(_("holiday"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="holiday_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_region_display()} {self.starts_on:%Y}"


class Room(models.Model):
    """A room at a school where lessons can be given, and what fits in it."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("places"), default=8)
    fits_harp = models.BooleanField(_("harp fits"), default=False)
    fits_percussion = models.BooleanField(_("percussion fits"), default=False)
    cello_storage = models.BooleanField(_("cello storage"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="room_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolParticipation(models.Model):
    """How a school takes part in one school year: year groups, music day, instrument menu."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="participations"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+"
    )
    year_groups = models.JSONField(
        _("year groups"), default=list, help_text=_("The groepen that take part, e.g. 5 to 8.")
    )
    music_day = models.PositiveSmallIntegerField(_("music day"), choices=Weekday.choices)
    day_starts_at = models.TimeField(_("lessons from"))
    day_ends_at = models.TimeField(_("lessons until"))
    instruments = models.ManyToManyField(
        "programme.InstrumentType",
        verbose_name=_("instrument menu"),
        related_name="+",
        blank=True,
        help_text=_("The instruments the school's teacher team covers."),
    )
    agreed_lessons = models.PositiveSmallIntegerField(
        _("lessons agreed"),
        default=32,
        help_text=_("Weekly lessons per lesson group agreed with the school for the year."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["school_year", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="participation_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(day_ends_at__gt=models.F("day_starts_at")),
                name="participation_window_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"


class Rollover(models.Model):
    """A school moved on to the next school year; undoable until its first lesson week."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rollovers")
    from_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    to_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    performed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    # What the rollover created and changed, so undo restores exactly the state before.
    record = models.JSONField(default=dict)

    class Meta:
        ordering = ["-performed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "to_year"],
                condition=Q(undone_at__isnull=True),
                name="rollover_once_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.from_year} → {self.to_year}"


YEAR_GROUP_VALIDATORS = [MinValueValidator(1), MaxValueValidator(8)]
