"""Workflows on learning lines: each runs in one transaction, refuses with a DomainError and
writes the audit trail.

Only a draft changes. Publishing freezes a version (and archives the family's older published
versions); a new version copies goals and milestones into a new draft, so the progress recorded
against an old version keeps pointing at the goals and milestones as they were.
A line's family is its owner and name: versions 1, 2, 3 … of one learning line.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.curriculum.models import (
    PROGRAMME_KINDS,
    CurriculumChoice,
    LearningGoal,
    LearningLine,
    LineStatus,
    Milestone,
    Visibility,
)

GOAL_FIELDS = ("year_group", "kind", "code", "text", "order")
MILESTONE_FIELDS = ("instrument", "order", "name", "notes", "skills", "typical_year_group")
LINE_FIELDS = ("name", "description", "visibility")


def _family(line: LearningLine):
    return LearningLine.objects.filter(organisation_id=line.organisation_id, name=line.name)


def _require_draft(line: LearningLine) -> None:
    if line.status != LineStatus.DRAFT:
        raise DomainError(
            _("This version is published and cannot change: make a new version first."),
            code="not_a_draft",
        )


@transaction.atomic
def create_line(
    *,
    organisation: Organisation,
    name: str,
    by,
    description: str = "",
    visibility: str = Visibility.PRIVATE,
    is_example: bool = False,
) -> LearningLine:
    """A new learning line, version 1, as a draft of `organisation`."""
    if organisation.kind not in PROGRAMME_KINDS:
        raise DomainError(_("Only a programme owns learning lines."), code="not_a_programme")
    name = name.strip()
    if not name:
        raise DomainError(_("Give the learning line a name."), field="name")
    if LearningLine.objects.filter(organisation=organisation, name=name).exists():
        raise DomainError(
            _("Your programme already has a learning line with this name."),
            field="name",
            code="duplicate",
        )
    line = LearningLine.objects.create(
        organisation=organisation,
        name=name,
        description=description,
        visibility=visibility,
        created_by=by,
        is_example=is_example,
    )
    audit(actor=by, action="curriculum.line_create", obj=line)
    return line


@transaction.atomic
def update_line(*, line: LearningLine, by, **fields) -> LearningLine:
    """Change a draft's name, description or visibility (a name only while it has one version)."""
    _require_draft(line)
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot change: %s") % ", ".join(sorted(unknown)))
    name = fields.get("name", line.name).strip()
    if name != line.name:
        if _family(line).exclude(pk=line.pk).exists():
            raise DomainError(
                _("A line with several versions keeps its name."), field="name", code="versioned"
            )
        if LearningLine.objects.filter(organisation_id=line.organisation_id, name=name).exists():
            raise DomainError(
                _("Your programme already has a learning line with this name."),
                field="name",
                code="duplicate",
            )
    fields["name"] = name
    for key, value in fields.items():
        setattr(line, key, value)
    line.save(update_fields=list(fields))
    audit(actor=by, action="curriculum.line_update", obj=line, fields=sorted(fields))
    return line


def _save_child(obj, *, duplicate_field: str, duplicate_message: str):
    try:
        with transaction.atomic():
            obj.full_clean(exclude=["line"], validate_unique=False, validate_constraints=False)
            obj.save()
    except IntegrityError:
        raise DomainError(duplicate_message, field=duplicate_field, code="duplicate") from None
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field, code="invalid") from None
    return obj


@transaction.atomic
def add_goal(
    *, line: LearningLine, year_group: int, kind: str, code: str, text: str, by, order=None
) -> LearningGoal:
    _require_draft(line)
    if order is None:
        order = (line.goals.filter(year_group=year_group).aggregate(m=Max("order"))["m"] or 0) + 1
    goal = LearningGoal(
        line=line, year_group=year_group, kind=kind, code=code.strip(), text=text, order=order
    )
    _save_child(
        goal,
        duplicate_field="code",
        duplicate_message=_("Another goal of this line has this code."),
    )
    audit(actor=by, action="curriculum.goal_add", obj=line, goal_id=goal.pk, code=goal.code)
    return goal


@transaction.atomic
def update_goal(*, goal: LearningGoal, by, **fields) -> LearningGoal:
    _require_draft(goal.line)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot change: %s") % ", ".join(sorted(unknown)))
    for key, value in fields.items():
        setattr(goal, key, value.strip() if key == "code" else value)
    _save_child(
        goal,
        duplicate_field="code",
        duplicate_message=_("Another goal of this line has this code."),
    )
    audit(actor=by, action="curriculum.goal_update", obj=goal.line, goal_id=goal.pk)
    return goal


@transaction.atomic
def remove_goal(*, goal: LearningGoal, by) -> None:
    _require_draft(goal.line)
    # A draft has no progress against it: progress is recorded on published versions only.
    audit(actor=by, action="curriculum.goal_remove", obj=goal.line, code=goal.code)
    goal.delete()


@transaction.atomic
def add_milestone(
    *,
    line: LearningLine,
    instrument,
    notes: str,
    by,
    name: str = "",
    order=None,
    skills: str = "",
    typical_year_group=None,
) -> Milestone:
    _require_draft(line)
    if order is None:
        order = (
            line.milestones.filter(instrument=instrument).aggregate(m=Max("order"))["m"] or 0
        ) + 1
    milestone = Milestone(
        line=line,
        instrument=instrument,
        order=order,
        name=name.strip() or _("Milestone %(n)s") % {"n": order},
        notes=notes,
        skills=skills,
        typical_year_group=typical_year_group,
    )
    _save_child(
        milestone,
        duplicate_field="order",
        duplicate_message=_("This instrument already has a milestone at this stage."),
    )
    audit(actor=by, action="curriculum.milestone_add", obj=line, milestone_id=milestone.pk)
    return milestone


@transaction.atomic
def update_milestone(*, milestone: Milestone, by, **fields) -> Milestone:
    _require_draft(milestone.line)
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot change: %s") % ", ".join(sorted(unknown)))
    for key, value in fields.items():
        setattr(milestone, key, value)
    _save_child(
        milestone,
        duplicate_field="order",
        duplicate_message=_("This instrument already has a milestone at this stage."),
    )
    audit(
        actor=by,
        action="curriculum.milestone_update",
        obj=milestone.line,
        milestone_id=milestone.pk,
    )
    return milestone


@transaction.atomic
def remove_milestone(*, milestone: Milestone, by) -> None:
    _require_draft(milestone.line)
    audit(actor=by, action="curriculum.milestone_remove", obj=milestone.line, name=milestone.name)
    milestone.delete()


@transaction.atomic
def publish_line(*, line: LearningLine, by) -> LearningLine:
    """Freeze the draft; the family's older published versions are archived (they stay readable
    and the progress recorded against them keeps pointing at them)."""
    LearningLine.objects.select_for_update().filter(pk=line.pk).first()
    line.refresh_from_db()
    _require_draft(line)
    if not line.goals.exists():
        raise DomainError(_("Add at least one learning goal before publishing."), code="no_goals")
    now = timezone.now()
    _family(line).filter(status=LineStatus.PUBLISHED).update(status=LineStatus.ARCHIVED)
    line.status = LineStatus.PUBLISHED
    line.published_at = now
    line.save(update_fields=["status", "published_at"])
    audit(actor=by, action="curriculum.line_publish", obj=line, version=line.version)
    return line


@transaction.atomic
def new_version(*, line: LearningLine, by) -> LearningLine:
    """A new draft version of a published (or archived) line, with copies of its goals and
    milestones. One draft per family at a time."""
    if line.status == LineStatus.DRAFT:
        raise DomainError(_("This version is still a draft: change it directly."), code="draft")
    family = _family(line).select_for_update()
    if family.filter(status=LineStatus.DRAFT).exists():
        raise DomainError(_("There is a draft version of this line already."), code="draft_exists")
    version = (family.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = LearningLine.objects.create(
        organisation_id=line.organisation_id,
        name=line.name,
        description=line.description,
        visibility=line.visibility,
        version=version,
        based_on=line,
        created_by=by,
        is_example=line.is_example,
    )
    LearningGoal.objects.bulk_create(
        [
            LearningGoal(
                line=draft,
                year_group=g.year_group,
                kind=g.kind,
                code=g.code,
                text=g.text,
                order=g.order,
            )
            for g in line.goals.all()
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                line=draft,
                instrument_id=m.instrument_id,
                order=m.order,
                name=m.name,
                notes=m.notes,
                skills=m.skills,
                typical_year_group=m.typical_year_group,
            )
            for m in line.milestones.all()
        ]
    )
    audit(actor=by, action="curriculum.line_new_version", obj=draft, based_on=line.pk)
    return draft


# --- Which line a programme uses ----------------------------------------------------------------


def choosable_lines(organisation: Organisation):
    """Published lines a programme may use: its own and the shared ones; own first, newest first."""
    return (
        LearningLine.objects.published()
        .visible_to_organisations([organisation.pk])
        .annotate(
            own=Case(
                When(organisation_id=organisation.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("own", "-published_at", "-pk")
    )


def line_for_organisation(organisation: Organisation | int) -> LearningLine | None:
    """The published line a programme records progress against: the newest published version
    of the line its coordinators chose; without a choice, the newest published line visible to
    it (its own first, then shared)."""
    organisation_id = getattr(organisation, "pk", organisation)
    choice = (
        CurriculumChoice.objects.filter(organisation_id=organisation_id)
        .select_related("line")
        .first()
    )
    if choice is not None:
        chosen = choice.line
        newest = (
            _family(chosen)
            .published()
            .visible_to_organisations([organisation_id])
            .order_by("-version")
            .first()
        )
        if newest is not None:
            return newest
    if not isinstance(organisation, Organisation):
        organisation = Organisation.objects.get(pk=organisation_id)
    return choosable_lines(organisation).first()


@transaction.atomic
def choose_line(*, organisation: Organisation, line: LearningLine, by) -> CurriculumChoice:
    if not choosable_lines(organisation).filter(pk=line.pk).exists():
        raise DomainError(
            _("Choose a published learning line that your programme can see."),
            field="line",
            code="not_choosable",
        )
    choice, _created = CurriculumChoice.objects.update_or_create(
        organisation=organisation,
        defaults={"line": line, "chosen_by": by, "chosen_at": timezone.now()},
    )
    audit(actor=by, action="curriculum.line_choose", obj=organisation, line_id=line.pk)
    return choice
