"""The instruments children learn, and the instrument choice after the taster lessons."""

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leerorkest.schools.models import Pupil, School, SchoolYear


class InstrumentFamily(models.TextChoices):
    STRINGS = "strings", _("Strings")
    WOODWIND = "woodwind", _("Woodwind")
    BRASS = "brass", _("Brass")
    PERCUSSION = "percussion", _("Percussion")
    PLUCKED = "plucked", _("Plucked")
    KEYS = "keys", _("Keys")


class InstrumentType(models.Model):
    """An instrument as taught and lent (violin, cello…); sizes belong to the depot's catalogue.

    Names are data in both languages, so every programme sees them in its own language.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    family = models.CharField(_("family"), max_length=12, choices=InstrumentFamily.choices)
    lesson_group_size = models.PositiveSmallIntegerField(
        _("largest lesson group"), default=6, help_text=_("Most pupils in one lesson group.")
    )
    needs_harp_room = models.BooleanField(_("needs a room a harp fits in"), default=False)
    needs_percussion_room = models.BooleanField(_("needs a percussion room"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_nl


class SectionTarget(models.Model):
    """How many players of one instrument a year group's orchestra at a school wants."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="section_targets")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    year_group = models.PositiveSmallIntegerField(_("groep"))
    instrument = models.ForeignKey(InstrumentType, on_delete=models.PROTECT, related_name="+")
    wanted = models.PositiveSmallIntegerField(_("wanted players"))

    class Meta:
        verbose_name = _("section size")
        verbose_name_plural = _("section sizes")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "year_group", "instrument"],
                name="section_target_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.wanted}"


class AssignmentRun(models.Model):
    """One run of the instrument assignment for a school's year group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assignment_runs")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    year_group = models.PositiveSmallIntegerField(_("groep"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, default="done")
    # Counts of 1st, 2nd, 3rd choice and none, the solver's status and bound.
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.school} groep {self.year_group} {self.created_at:%Y-%m-%d}"


class InstrumentChoice(models.Model):
    """A child's up to three preferences, and the instrument assigned (by a run or by hand)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="instrument_choices")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(
        InstrumentType,
        verbose_name=_("1st choice"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    second = models.ForeignKey(
        InstrumentType,
        verbose_name=_("2nd choice"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    third = models.ForeignKey(
        InstrumentType,
        verbose_name=_("3rd choice"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    assigned = models.ForeignKey(
        InstrumentType,
        verbose_name=_("assigned instrument"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    assigned_by_run = models.ForeignKey(
        AssignmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="choices"
    )
    overridden_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when a coordinator chose by hand.",
    )

    class Meta:
        verbose_name = _("instrument choice")
        verbose_name_plural = _("instrument choices")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school_year"], name="instrument_choice_once_per_year"
            ),
            models.CheckConstraint(
                condition=(Q(second__isnull=True) | ~Q(second=models.F("first")))
                & (
                    Q(third__isnull=True)
                    | (~Q(third=models.F("first")) & ~Q(third=models.F("second")))
                ),
                name="instrument_choice_distinct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.assigned or '—'}"

    @property
    def preferences(self) -> list[InstrumentType]:
        return [i for i in (self.first, self.second, self.third) if i is not None]

    @property
    def rank(self) -> int | None:
        """1, 2 or 3 when the assigned instrument was that preference; 0 when none; None when
        nothing is assigned yet."""
        if self.assigned_id is None:
            return None
        for rank, choice_id in enumerate((self.first_id, self.second_id, self.third_id), start=1):
            if choice_id == self.assigned_id:
                return rank
        return 0
