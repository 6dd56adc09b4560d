"""Lesson groups and ensembles: school orchestras, neighbourhood orchestras, secondary follow-up."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.schools.models import Pupil, School, SchoolYear
from leerorkest.schools.models.years import YEAR_GROUPS, Weekday


class LessonGroup(models.Model):
    """A few pupils of one school and year group learning one instrument with one teacher."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="lesson_groups"
    )
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    year_group = models.PositiveSmallIntegerField(_("groep"), choices=YEAR_GROUPS)
    instrument = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="lesson_groups",
    )
    name = models.CharField(_("name"), max_length=60)
    teacher = models.ForeignKey(
        "programme.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lesson_groups",
    )
    max_size = models.PositiveSmallIntegerField(_("largest size"))
    lesson_minutes = models.PositiveSmallIntegerField(_("lesson length (minutes)"), default=45)
    pupils = models.ManyToManyField(
        Pupil, through="programme.LessonGroupMember", related_name="lesson_groups"
    )

    class Meta:
        verbose_name = _("lesson group")
        verbose_name_plural = _("lesson groups")
        ordering = ["school", "year_group", "instrument__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="lesson_group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LessonGroupMember(models.Model):
    group = models.ForeignKey(LessonGroup, on_delete=models.CASCADE, related_name="members")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    # Copied from the group: a pupil is in one lesson group per school year.
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school_year"], name="lesson_group_one_per_pupil_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.group_id}"

    def save(self, *args, **kwargs):
        self.school_year_id = self.group.school_year_id
        super().save(*args, **kwargs)


class EnsembleKind(models.TextChoices):
    SCHOOL_ORCHESTRA = "school_orchestra", _("School orchestra")
    NEIGHBOURHOOD_ORCHESTRA = "neighbourhood_orchestra", _("Neighbourhood talent orchestra")
    SECONDARY = "secondary", _("Secondary school follow-up")


class Ensemble(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ensembles"
    )
    kind = models.CharField(_("type"), max_length=30, choices=EnsembleKind.choices)
    name = models.CharField(_("name"), max_length=120)
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ensembles",
        help_text=_("For a school orchestra."),
    )
    year_group = models.PositiveSmallIntegerField(
        _("groep"), choices=YEAR_GROUPS, null=True, blank=True
    )
    conductor = models.ForeignKey(
        "programme.Teacher",
        verbose_name=_("conductor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conducted",
    )
    venue = models.CharField(_("venue"), max_length=150, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, null=True, blank=True
    )
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)

    class Meta:
        verbose_name = _("ensemble")
        verbose_name_plural = _("ensembles")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "year_group"],
                condition=Q(kind="school_orchestra"),
                name="one_school_orchestra_per_year_group",
            ),
            models.CheckConstraint(
                condition=~Q(kind="school_orchestra")
                | Q(school__isnull=False, year_group__isnull=False),
                name="school_orchestra_has_school_and_groep",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnsembleMember(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Playing")
        WAITING = "waiting", _("Waiting list")
        INVITED = "invited", _("Invited")
        LEFT = "left", _("Left")

    ensemble = models.ForeignKey(Ensemble, on_delete=models.CASCADE, related_name="members")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="ensemble_memberships")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    instrument = models.ForeignKey(
        "programme.InstrumentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_senior = models.BooleanField(_("senior (secondary pupil)"), default=False)
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("ensemble member")
        verbose_name_plural = _("ensemble members")
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ensemble", "pupil"], name="ensemble_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.ensemble_id} ({self.status})"


class Sectional(models.Model):
    """A weekly part rehearsal of a school orchestra: its players of some instruments (the
    strings, the brass) with a teacher of the instrument that leads it, planned beside the
    lessons and the full rehearsal on the school's music day."""

    MIN_MINUTES, MAX_MINUTES = 15, 90

    ensemble = models.ForeignKey(Ensemble, on_delete=models.CASCADE, related_name="sectionals")
    name = models.CharField(_("name"), max_length=80)
    instruments = models.ManyToManyField(
        "programme.InstrumentType",
        verbose_name=_("players of"),
        related_name="+",
        help_text=_("The orchestra's members who play these instruments take part."),
    )
    led_by = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("led by a teacher of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)

    class Meta:
        verbose_name = _("sectional")
        verbose_name_plural = _("sectionals")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ensemble", "name"], name="sectional_name_once"),
            models.CheckConstraint(
                condition=Q(minutes__gte=15, minutes__lte=90), name="sectional_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ensemble} – {self.name}"

    def players(self):
        """The orchestra's playing members on one of the sectional's instruments."""
        return self.ensemble.members.filter(
            status=EnsembleMember.Status.ACTIVE,
            instrument__in=self.instruments.all(),
        )
