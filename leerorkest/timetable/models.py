"""The programme's weekly timetable in the database, and what follows from publishing it.

A `Timetable` is one planning attempt for a programme and school year: the instance it was
solved from (a snapshot, see ``docs/timetable-format.md``), the solver's progress and result,
and its `PlannedLesson` rows. Exactly one timetable per programme and year is *published*;
publishing turns its weekly lessons into dated `LessonDate` rows for the rest of the school
year (school holidays left out). Registers (`AttendanceMark`), teachers' absences with cover,
school cancellations and the proof of delivery all hang off those dated lessons.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerorkest.accounts.models import Organisation
from leerorkest.schools.models import Pupil, Room, School, SchoolYear
from leerorkest.schools.models.years import Weekday


class Timetable(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SOLVING = "solving", _("Being planned")
        READY = "ready", _("Ready to publish")
        FAILED = "failed", _("No timetable possible")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Replaced")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("re-plans"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The published timetable this one changes as little as possible."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    time_limit = models.PositiveSmallIntegerField(_("planning time (seconds)"), default=60)
    # The planning instance solved (JSON, docs/timetable-format.md).
    instance = models.JSONField(default=dict, editable=False)
    # [[seconds, objective, bound], ...] for every better timetable found.
    progress = models.JSONField(default=list, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Solver status, objective, bound, explanation and the validator's report.
    result = models.JSONField(default=dict, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("timetable")
        verbose_name_plural = _("timetables")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year"],
                condition=Q(status="published"),
                name="one_published_timetable_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hard_violations(self) -> int | None:
        report = self.result.get("report")
        return None if report is None else report.get("hard_total")

    @property
    def soft_score(self) -> int | None:
        report = self.result.get("report")
        return None if report is None else report.get("soft_total")

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.READY, self.Status.DRAFT)


class PlannedLesson(models.Model):
    """One weekly lesson of a timetable: which group, who, where and when."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson")
        SECTIONAL = "sectional", _("Sectional")
        ORCHESTRA = "orchestra", _("Orchestra rehearsal")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood orchestra")

    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="lessons")
    key = models.CharField(max_length=40, help_text="The lesson's id in the planning instance.")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    lesson_group = models.ForeignKey(
        "programme.LessonGroup",
        verbose_name=_("lesson group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    ensemble = models.ForeignKey(
        "programme.Ensemble",
        verbose_name=_("ensemble"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    sectional = models.ForeignKey(
        "programme.Sectional",
        verbose_name=_("sectional"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=150, blank=True)
    title = models.CharField(_("lesson"), max_length=160)
    teacher = models.ForeignKey(
        "programme.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, null=True, blank=True
    )
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("planned lesson")
        verbose_name_plural = _("planned lessons")
        ordering = ["weekday", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["timetable", "key"], name="planned_lesson_key"),
        ]
        indexes = [models.Index(fields=["timetable", "teacher"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_placed(self) -> bool:
        return self.starts_at is not None and self.teacher_id is not None

    @property
    def ends_at(self):
        from datetime import datetime, timedelta

        if self.starts_at is None:
            return None
        return (
            datetime.combine(datetime.min, self.starts_at) + timedelta(minutes=self.minutes)
        ).time()

    @property
    def instrument(self):
        """The instrument the teacher must play: the group's, or the one that leads a
        sectional; None for orchestra rehearsals (they need a conductor)."""
        if self.lesson_group_id:
            return self.lesson_group.instrument
        if self.sectional_id:
            return self.sectional.led_by
        return None

    @property
    def place(self) -> str:
        if self.room_id:
            return f"{self.school or ''}, {self.room.name}".strip(", ")
        return self.venue or str(self.school or "")


class CalendarFeed(models.Model):
    """A teacher's private iCalendar address; a new token revokes the old address."""

    teacher = models.OneToOneField(
        "programme.Teacher", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of teacher #{self.teacher_id}"

    @classmethod
    def for_teacher(cls, teacher) -> "CalendarFeed":
        feed, _created = cls.objects.get_or_create(
            teacher=teacher, defaults={"token": secrets.token_urlsafe(32)}
        )
        return feed

    def renew(self) -> None:
        self.token = secrets.token_urlsafe(32)
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])


class TeacherAbsence(models.Model):
    """A teacher cannot teach from one date to another (sick note, leave)."""

    class Reason(models.TextChoices):
        ILL = "ill", _("Ill")
        LEAVE = "leave", _("Leave")
        TRAINING = "training", _("Training or concert")
        OTHER = "other", _("Other")

    teacher = models.ForeignKey(
        "programme.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.starts_on}–{self.ends_on}"


class SchoolCancellation(models.Model):
    """The school cancels music lessons on some days (trip, study day, strike)."""

    class Reason(models.TextChoices):
        TRIP = "trip", _("School trip")
        HOLIDAY = "holiday", _("Extra day off")
        STUDY_DAY = "study_day", _("Study day")
        STRIKE = "strike", _("Strike")
        EVENT = "event", _("School event")
        OTHER = "other", _("Other")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    year_groups = models.JSONField(
        _("year groups"),
        default=list,
        blank=True,
        help_text=_("Only these groepen; empty means the whole school."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("school cancellation")
        verbose_name_plural = _("school cancellations")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cancellation_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.starts_on}–{self.ends_on}"


class LessonDate(models.Model):
    """One lesson on one date, from the published timetable: planned, given or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("lesson date", "Planned")
        GIVEN = "given", pgettext_lazy("lesson date", "Given")
        CANCELLED = "cancelled", pgettext_lazy("lesson date", "Cancelled")

    class CancelledBy(models.TextChoices):
        SCHOOL = "school", _("School")
        TEACHER = "teacher", _("Teacher")
        PROGRAMME = "programme", _("Programme")

    planned = models.ForeignKey(PlannedLesson, on_delete=models.PROTECT, related_name="dates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    teacher = models.ForeignKey(
        "programme.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="lesson_dates",
        help_text=_("Who gives (or gave) the lesson: the planned teacher or a substitute."),
    )
    is_cover = models.BooleanField(_("cover"), default=False)
    cover_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True
    )
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    absence = models.ForeignKey(
        TeacherAbsence, on_delete=models.SET_NULL, null=True, blank=True, related_name="dates"
    )
    school_cancellation = models.ForeignKey(
        SchoolCancellation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dates",
    )
    register_taken_at = models.DateTimeField(_("register taken"), null=True, blank=True)
    register_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lesson date")
        verbose_name_plural = _("lesson dates")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["planned", "date"], name="lesson_date_once"),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["teacher", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.planned} {self.date}"


class AttendanceMark(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")

    lesson_date = models.ForeignKey(LessonDate, on_delete=models.CASCADE, related_name="marks")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson_date", "pupil"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.status}"


class TravelOverride(models.Model):
    """Known travel minutes between two schools, used instead of the estimate (both ways)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    from_school = models.ForeignKey(
        School, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+"
    )
    to_school = models.ForeignKey(
        School, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+"
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "from_school", "to_school"], name="travel_override_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_school} → {self.to_school}: {self.minutes} min"
