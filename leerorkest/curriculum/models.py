"""The learning line: goals per groep, milestones (ijkpunten) per instrument, pupils' progress.

A line is versioned. Only a draft may change; publishing freezes it, and a new version copies
goals and milestones into a new draft, so progress recorded against an old version keeps pointing
at the goals and milestones as they were then.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind
from leerorkest.schools.models import Pupil, SchoolYear
from leerorkest.schools.models.years import YEAR_GROUPS

# The learning line runs from groep 3 to groep 8.
LINE_YEAR_GROUPS = [(n, label) for n, label in YEAR_GROUPS if n >= 3]
TERMS = [(1, _("term 1")), (2, _("term 2")), (3, _("term 3"))]
PROGRAMME_KINDS = (OrgKind.PROGRAMME, OrgKind.PARTNER)


class Visibility(models.TextChoices):
    SHARED = "shared", _("Shared with all programmes")
    PRIVATE = "private", _("Private to the owner")


class LineStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class GoalKind(models.TextChoices):
    MUSICAL = "musical", _("Musical")
    INSTRUMENT = "instrument", _("Instrument-specific")
    SOCIAL = "social", _("Social-pedagogical")


class Mastery(models.TextChoices):
    MASTERED = "mastered", _("Mastered")
    DEVELOPING = "developing", _("Developing")
    NOT_YET = "not_yet", _("Not yet")


class LearningLineQuerySet(models.QuerySet):
    def visible_to_organisations(self, organisation_ids) -> "LearningLineQuerySet":
        """Lines of these organisations (any status), and published shared lines of anyone."""
        return self.filter(
            Q(organisation_id__in=organisation_ids)
            | Q(visibility=Visibility.SHARED, status=LineStatus.PUBLISHED)
        )

    def for_user(self, user) -> "LearningLineQuerySet":
        """Lines the user may read: their organisations' own lines and shared published lines.

        Anonymous visitors read shared published lines only (the knowledge site links to them).
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(visibility=Visibility.SHARED, status=LineStatus.PUBLISHED)
        if user.is_platform_admin:
            return self.all()
        own = Membership.objects.filter(user=user, organisation__is_active=True).values(
            "organisation_id"
        )
        return self.visible_to_organisations(own)

    def published(self) -> "LearningLineQuerySet":
        return self.filter(status=LineStatus.PUBLISHED)


class LearningLine(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="learning_lines",
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Shown as an example, not as an official learning line."),
    )

    objects = LearningLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning line")
        verbose_name_plural = _("learning lines")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="learning_line_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(status__in=LineStatus.values), name="learning_line_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="learning_line_visibility_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="learning_line_version_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == LineStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.SHARED and self.status == LineStatus.PUBLISHED


class LearningGoal(models.Model):
    line = models.ForeignKey(LearningLine, on_delete=models.CASCADE, related_name="goals")
    year_group = models.PositiveSmallIntegerField(_("groep"), choices=LINE_YEAR_GROUPS)
    kind = models.CharField(_("kind"), max_length=12, choices=GoalKind.choices)
    code = models.CharField(_("code"), max_length=12, help_text=_("Short, for example M5.3."))
    text = models.TextField(_("goal"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["year_group", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["line", "code"], name="learning_goal_unique_code"),
            models.CheckConstraint(
                condition=Q(year_group__gte=3, year_group__lte=8),
                name="learning_goal_year_group_3_8",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=GoalKind.values), name="learning_goal_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Milestone(models.Model):
    """An ijkpunt: the notes a child can play on one instrument at one stage."""

    line = models.ForeignKey(LearningLine, on_delete=models.CASCADE, related_name="milestones")
    instrument = models.ForeignKey(
        "programme.InstrumentType",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    order = models.PositiveSmallIntegerField(_("stage"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=80)
    notes = models.CharField(
        _("notes"),
        max_length=300,
        help_text=_("The notes a child can play at this stage, for example D4 E4 F♯4 G4 A4 B4."),
    )
    skills = models.TextField(_("skills"), blank=True)
    typical_year_group = models.PositiveSmallIntegerField(
        _("typical groep"), choices=LINE_YEAR_GROUPS, null=True, blank=True
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["instrument__sort_order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "instrument", "order"], name="milestone_unique_stage"
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="milestone_order_from_1"),
        ]

    def __str__(self) -> str:
        return self.name


class CurriculumChoice(models.Model):
    """The learning line a programme uses, chosen by its coordinators."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="curriculum_choice"
    )
    line = models.ForeignKey(LearningLine, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.organisation} → {self.line}"


class ProgressRecord(models.Model):
    """Where one pupil stands on one instrument at the end of one term."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="progress_records")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    term = models.PositiveSmallIntegerField(
        _("term"), choices=TERMS, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    instrument = models.ForeignKey(
        "programme.InstrumentType", on_delete=models.PROTECT, related_name="+"
    )
    lesson_group = models.ForeignKey(
        "programme.LessonGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_records",
    )
    # Null: not yet at the first milestone.
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")
        ordering = ["-school_year__starts_on", "-term"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school_year", "term", "instrument"],
                name="progress_record_one_per_term",
            ),
            models.CheckConstraint(
                condition=Q(term__gte=1, term__lte=3), name="progress_record_term_1_3"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "school_year", "term"], name="progress_org_year_term"
            )
        ]

    def __str__(self) -> str:
        return f"pupil #{self.pupil_id} {self.school_year_id}/{self.term}"


class GoalStatus(models.Model):
    record = models.ForeignKey(ProgressRecord, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(LearningGoal, on_delete=models.PROTECT, related_name="statuses")
    status = models.CharField(_("status"), max_length=12, choices=Mastery.choices)

    class Meta:
        verbose_name = _("goal status")
        verbose_name_plural = _("goal statuses")
        constraints = [
            models.UniqueConstraint(fields=["record", "goal"], name="goal_status_unique"),
            models.CheckConstraint(
                condition=Q(status__in=Mastery.values), name="goal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.status}"
