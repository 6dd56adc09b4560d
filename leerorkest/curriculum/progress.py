"""Progress on the learning line: a lesson group's grid for one term, saved in one go.

A grid has one row per pupil of the group: the milestone (ijkpunt) the pupil has reached on the
group's instrument and a status per learning goal of the group's groep, from the line the
programme uses (`line_for_organisation`). An empty grid is pre-filled from the term before.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.curriculum.actions import line_for_organisation
from leerorkest.curriculum.models import (
    GoalStatus,
    LearningGoal,
    LearningLine,
    Mastery,
    Milestone,
    ProgressRecord,
)
from leerorkest.programme.models import LessonGroup, LessonGroupMember
from leerorkest.schools.models import Pupil, SchoolYear

NOTE_LENGTH = ProgressRecord._meta.get_field("note").max_length


def term_of(day: date) -> int:
    """Term 1 runs to Christmas, term 2 to the spring holiday's end (March), term 3 to summer."""
    if day.month >= 8:
        return 1
    return 2 if day.month <= 3 else 3


def current_term() -> int:
    return term_of(timezone.localdate())


@dataclass
class ProgressRow:
    """One pupil's line of a grid, as entered (or pre-filled)."""

    pupil: Pupil
    milestone: Milestone | None = None
    goals: dict[int, str] = field(default_factory=dict)  # goal id -> Mastery value
    note: str = ""
    record: ProgressRecord | None = None
    error: str = ""

    def status_of(self, goal: LearningGoal) -> str:
        return self.goals.get(goal.pk, "")


@dataclass
class Grid:
    group: LessonGroup
    term: int
    line: LearningLine | None
    goals: list[LearningGoal]
    milestones: list[Milestone]
    rows: list[ProgressRow]
    prefilled_from: tuple[SchoolYear, int] | None = None

    @property
    def milestone_ids(self) -> dict[int, Milestone]:
        return {m.pk: m for m in self.milestones}


def _members(group: LessonGroup) -> list[Pupil]:
    ids = LessonGroupMember.objects.filter(group=group).values("pupil_id")
    return list(
        Pupil.objects.filter(pk__in=ids, pseudonymised_at__isnull=True).order_by(
            "surname", "given_name", "pk"
        )
    )


def _records(pupils, school_year_id, term, instrument_id):
    return {
        r.pupil_id: r
        for r in ProgressRecord.objects.filter(
            pupil__in=pupils, school_year_id=school_year_id, term=term, instrument_id=instrument_id
        )
        .select_related("milestone")
        .prefetch_related("goals__goal")
    }


def previous_term(school_year: SchoolYear, term: int) -> tuple[SchoolYear | None, int]:
    if term > 1:
        return school_year, term - 1
    before = SchoolYear.objects.filter(starts_on__lt=school_year.starts_on).order_by("-starts_on")
    return before.first(), 3


def build_grid(group: LessonGroup, term: int) -> Grid:
    """The group's grid for `term` of its school year, pre-filled from the previous term when
    nothing was recorded yet. A constant number of queries, whatever the group's size."""
    line = line_for_organisation(group.organisation_id)
    goals, milestones = [], []
    if line is not None:
        goals = list(line.goals.filter(year_group=group.year_group).order_by("order", "code"))
        milestones = list(line.milestones.filter(instrument_id=group.instrument_id))
    pupils = _members(group)
    records = _records(pupils, group.school_year_id, term, group.instrument_id)
    grid = Grid(group=group, term=term, line=line, goals=goals, milestones=milestones, rows=[])
    by_order = {m.order: m for m in milestones}
    by_code = {g.code: g for g in goals}
    source = records
    if not records and pupils:
        year, before = previous_term(group.school_year, term)
        if year is not None:
            source = _records(pupils, year.pk, before, group.instrument_id)
            if source:
                grid.prefilled_from = (year, before)
    for pupil in pupils:
        record = source.get(pupil.pk)
        row = ProgressRow(pupil=pupil, record=records.get(pupil.pk))
        if record is not None:
            # An older version's milestone maps to this version's milestone of the same stage;
            # goals map by code (a new groep has other goals, so they start empty).
            if record.milestone is not None:
                row.milestone = by_order.get(record.milestone.order)
            for status in record.goals.all():
                goal = by_code.get(status.goal.code)
                if goal is not None:
                    row.goals[goal.pk] = status.status
            row.note = record.note if record is records.get(pupil.pk) else ""
        grid.rows.append(row)
    return grid


FIELD = re.compile(r"^(m|n)-(\d+)$|^g-(\d+)-(\d+)$")


def parse_grid(grid: Grid, data) -> tuple[list[ProgressRow], bool]:
    """Read the posted grid into rows; bad cells get an error on their row. Pupils named in the
    post but not in the group are refused (returned as error rows with a new Pupil stub)."""
    rows = {row.pupil.pk: ProgressRow(pupil=row.pupil) for row in grid.rows}
    milestones = grid.milestone_ids
    goals = {g.pk for g in grid.goals}
    ok = True
    present = set()
    for key in data:
        match = FIELD.match(key)
        if not match:
            continue
        pupil_id = int(match.group(2) or match.group(3))
        row = rows.get(pupil_id)
        if row is None:
            raise DomainError(
                _("A pupil in this form is not in the lesson group."), code="not_in_group"
            )
        value = data.get(key, "").strip()
        present.add(pupil_id)
        if match.group(1) == "m":
            if value:
                milestone = milestones.get(int(value)) if value.isdigit() else None
                if milestone is None:
                    row.error = _("Choose a milestone of this instrument.")
                    ok = False
                row.milestone = milestone
        elif match.group(1) == "n":
            if len(value) > NOTE_LENGTH:
                row.error = _("A note has at most %(n)s characters.") % {"n": NOTE_LENGTH}
                ok = False
            row.note = value
        else:
            goal_id = int(match.group(4))
            if goal_id not in goals:
                row.error = _("This goal is not one of the groep's goals.")
                ok = False
            elif value and value not in Mastery.values:
                row.error = _("Choose mastered, developing or not yet.")
                ok = False
            elif value:
                row.goals[goal_id] = value
    # A pupil who joined the group after the page was loaded is not in the post: left alone.
    return [row for pupil_id, row in rows.items() if pupil_id in present], ok


@transaction.atomic
def record_progress(
    *, lesson_group: LessonGroup, school_year: SchoolYear, term: int, rows, by
) -> list[ProgressRecord]:
    """Save a lesson group's grid for one term: one record per row (replacing what that pupil
    had this term on this instrument) with its goal statuses. All or nothing: refuses pupils not
    in the group, milestones of another instrument or line version, and goals that are not the
    groep's goals of the line the programme uses."""
    if term not in (1, 2, 3):
        raise DomainError(_("A school year has terms 1, 2 and 3."), field="term", code="term")
    if school_year.pk != lesson_group.school_year_id:
        raise DomainError(
            _("A lesson group records progress in its own school year."), code="wrong_year"
        )
    line = line_for_organisation(lesson_group.organisation_id)
    if line is None:
        raise DomainError(_("Your programme has no published learning line yet."), code="no_line")
    members = set(
        LessonGroupMember.objects.filter(group=lesson_group).values_list("pupil_id", flat=True)
    )
    goal_ids = set(
        line.goals.filter(year_group=lesson_group.year_group).values_list("pk", flat=True)
    )
    seen = set()
    for row in rows:
        if row.pupil.pk not in members or row.pupil.pk in seen:
            raise DomainError(
                _("A pupil in this form is not in the lesson group."), code="not_in_group"
            )
        seen.add(row.pupil.pk)
        milestone = row.milestone
        if milestone is not None and (
            milestone.line_id != line.pk or milestone.instrument_id != lesson_group.instrument_id
        ):
            raise DomainError(
                _("This milestone is not one of the instrument's in the learning line in use."),
                code="wrong_milestone",
            )
        for goal_id, status in row.goals.items():
            if goal_id not in goal_ids:
                raise DomainError(
                    _("This goal is not one of the groep's goals."), code="wrong_goal"
                )
            if status not in Mastery.values:
                raise DomainError(_("Choose mastered, developing or not yet."), code="status")
        if len(row.note) > NOTE_LENGTH:
            raise DomainError(_("A note has at most %(n)s characters.") % {"n": NOTE_LENGTH})
    now = timezone.now()
    existing = {
        r.pupil_id: r
        for r in ProgressRecord.objects.select_for_update().filter(
            pupil_id__in=seen,
            school_year=school_year,
            term=term,
            instrument_id=lesson_group.instrument_id,
        )
    }
    new, changed = [], []
    for row in rows:
        record = existing.get(row.pupil.pk) or ProgressRecord(
            organisation_id=lesson_group.organisation_id,
            pupil=row.pupil,
            school_year=school_year,
            term=term,
            instrument_id=lesson_group.instrument_id,
        )
        record.lesson_group = lesson_group
        record.milestone = row.milestone
        record.note = row.note
        record.recorded_by = by
        record.recorded_at = now
        (changed if record.pk else new).append(record)
    ProgressRecord.objects.bulk_create(new)
    ProgressRecord.objects.bulk_update(
        changed, ["lesson_group", "milestone", "note", "recorded_by", "recorded_at"]
    )
    records = {r.pupil_id: r for r in [*new, *changed]}
    GoalStatus.objects.filter(record__in=[r.pk for r in changed]).delete()
    GoalStatus.objects.bulk_create(
        [
            GoalStatus(record=records[row.pupil.pk], goal_id=goal_id, status=status)
            for row in rows
            for goal_id, status in row.goals.items()
        ]
    )
    audit(
        actor=by,
        action="curriculum.progress_record",
        obj=lesson_group,
        school_year=str(school_year),
        term=term,
        line_id=line.pk,
        pupil_ids=sorted(seen),
    )
    return list(records.values())
