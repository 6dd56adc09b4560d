"""Learning lines: only drafts change, publishing freezes, a new version copies, refusals."""

import pytest

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.curriculum import actions
from leerorkest.curriculum.models import (
    CurriculumChoice,
    GoalKind,
    LearningLine,
    LineStatus,
    Mastery,
    ProgressRecord,
    Visibility,
)
from leerorkest.curriculum.progress import ProgressRow, record_progress
from leerorkest.curriculum.tests.builders import build_line
from leerorkest.testing import instrument, make_member, make_organisation
from tests.access_teachers import build_lesson_group

pytestmark = pytest.mark.django_db


def test_a_new_line_is_a_private_draft_version_1(personas):
    line = actions.create_line(organisation=personas.organisation, name="Lijn", by=personas.owner)
    assert (line.version, line.status, line.visibility) == (1, "draft", "private")
    assert AuditEvent.objects.filter(action="curriculum.line_create", object_id=str(line.pk))


def test_only_a_programme_owns_lines_and_names_are_unique(personas):
    depot = make_organisation(kind=OrgKind.DEPOT)
    with pytest.raises(DomainError):
        actions.create_line(organisation=depot, name="Lijn", by=personas.owner)
    actions.create_line(organisation=personas.organisation, name="Lijn", by=personas.owner)
    with pytest.raises(DomainError) as refused:
        actions.create_line(organisation=personas.organisation, name="Lijn", by=personas.owner)
    assert refused.value.field == "name"


def test_goal_codes_are_unique_within_a_line(personas):
    line = build_line(personas.organisation, personas.owner, publish=False)
    with pytest.raises(DomainError) as refused:
        actions.add_goal(
            line=line, year_group=5, kind=GoalKind.MUSICAL, code="M5.1", text="x", by=personas.owner
        )
    assert refused.value.field == "code"
    with pytest.raises(DomainError):
        actions.add_goal(
            line=line, year_group=9, kind=GoalKind.MUSICAL, code="M9.1", text="x", by=personas.owner
        )


def test_milestone_stages_follow_on_per_instrument(personas):
    line = build_line(personas.organisation, personas.owner, publish=False, stages=2)
    added = actions.add_milestone(
        line=line, instrument=instrument("violin"), notes="A4 B4", by=personas.owner
    )
    assert added.order == 3
    with pytest.raises(DomainError) as refused:
        actions.add_milestone(
            line=line, instrument=instrument("violin"), notes="C5", order=1, by=personas.owner
        )
    assert refused.value.field == "order"


def test_publishing_freezes_the_version(personas):
    line = build_line(personas.organisation, personas.owner)
    assert line.status == LineStatus.PUBLISHED and line.published_at
    goal, milestone = line.goals.first(), line.milestones.first()
    with pytest.raises(DomainError):
        actions.add_goal(
            line=line, year_group=5, kind="musical", code="X", text="x", by=personas.owner
        )
    with pytest.raises(DomainError):
        actions.update_goal(goal=goal, text="changed", by=personas.owner)
    with pytest.raises(DomainError):
        actions.remove_goal(goal=goal, by=personas.owner)
    with pytest.raises(DomainError):
        actions.update_milestone(milestone=milestone, notes="changed", by=personas.owner)
    with pytest.raises(DomainError):
        actions.remove_milestone(milestone=milestone, by=personas.owner)
    with pytest.raises(DomainError):
        actions.update_line(line=line, description="changed", by=personas.owner)
    with pytest.raises(DomainError):
        actions.publish_line(line=line, by=personas.owner)
    goal.refresh_from_db()
    assert goal.text.startswith("Goal")


def test_a_line_without_goals_is_not_published(personas):
    line = actions.create_line(organisation=personas.organisation, name="Leeg", by=personas.owner)
    with pytest.raises(DomainError):
        actions.publish_line(line=line, by=personas.owner)


def test_a_new_version_copies_and_old_records_keep_pointing_at_old_goals(personas):
    owner = personas.owner
    line = build_line(personas.organisation, owner)
    group = build_lesson_group(personas.organisation)
    pupil = group.pupils.first()
    old_goal = line.goals.get(code="M5.1")
    old_milestone = line.milestones.get(order=2)
    record_progress(
        lesson_group=group,
        school_year=group.school_year,
        term=1,
        rows=[ProgressRow(pupil=pupil, milestone=old_milestone, goals={old_goal.pk: "mastered"})],
        by=owner,
    )
    draft = actions.new_version(line=line, by=owner)
    assert (draft.version, draft.status, draft.based_on_id) == (2, "draft", line.pk)
    assert draft.goals.count() == line.goals.count() == 3
    assert draft.milestones.count() == line.milestones.count() == 3
    new_goal = draft.goals.get(code="M5.1")
    actions.update_goal(goal=new_goal, text="Anders geformuleerd", by=owner)
    with pytest.raises(DomainError):
        actions.new_version(line=line, by=owner)  # one draft at a time
    actions.publish_line(line=draft, by=owner)
    line.refresh_from_db()
    assert line.status == LineStatus.ARCHIVED
    record = ProgressRecord.objects.get(pupil=pupil)
    assert record.milestone_id == old_milestone.pk
    status = record.goals.get()
    assert status.goal_id == old_goal.pk
    assert status.goal.text == "Goal 1 of groep 5"
    # The programme now records against version 2.
    assert actions.line_for_organisation(personas.organisation) == draft


def test_the_line_in_use_own_first_then_shared_and_the_choice(personas):
    other = personas.other
    other_coordinator = make_member(other, Role.PARTNER_COORDINATOR)
    assert actions.line_for_organisation(personas.organisation) is None
    shared = build_line(other, other_coordinator, name="Gedeeld", visibility=Visibility.SHARED)
    private = build_line(other, other_coordinator, name="Eigen van anderen")
    assert actions.line_for_organisation(personas.organisation) == shared
    own = build_line(personas.organisation, personas.owner, name="Eigen")
    assert actions.line_for_organisation(personas.organisation) == own
    actions.choose_line(organisation=personas.organisation, line=shared, by=personas.owner)
    assert actions.line_for_organisation(personas.organisation) == shared
    assert CurriculumChoice.objects.get(organisation=personas.organisation).line == shared
    with pytest.raises(DomainError):
        actions.choose_line(organisation=personas.organisation, line=private, by=personas.owner)
    draft = build_line(personas.organisation, personas.owner, name="Concept", publish=False)
    with pytest.raises(DomainError):
        actions.choose_line(organisation=personas.organisation, line=draft, by=personas.owner)


def test_record_progress_refusals_save_nothing(personas):
    owner = personas.owner
    line = build_line(personas.organisation, owner, instruments=("violin", "cello"))
    group = build_lesson_group(personas.organisation)
    other_group = build_lesson_group(personas.organisation)
    pupil = group.pupils.first()
    goal = line.goals.get(code="M5.1")
    cello = line.milestones.filter(instrument__code="cello").first()
    violin = line.milestones.filter(instrument__code="violin").first()
    stranger = other_group.pupils.first()
    cases = [
        [ProgressRow(pupil=pupil), ProgressRow(pupil=stranger)],
        [ProgressRow(pupil=pupil, milestone=cello)],
        [ProgressRow(pupil=pupil, milestone=violin, goals={goal.pk: "perfect"})],
    ]
    draft = actions.new_version(line=line, by=owner)
    cases.append([ProgressRow(pupil=pupil, milestone=draft.milestones.first())])
    cases.append([ProgressRow(pupil=pupil, goals={draft.goals.first().pk: Mastery.MASTERED})])
    for rows in cases:
        with pytest.raises(DomainError):
            record_progress(
                lesson_group=group, school_year=group.school_year, term=2, rows=rows, by=owner
            )
    with pytest.raises(DomainError):
        record_progress(
            lesson_group=group,
            school_year=group.school_year,
            term=4,
            rows=[ProgressRow(pupil=pupil)],
            by=owner,
        )
    assert not ProgressRecord.objects.exists()


def test_record_progress_replaces_the_terms_record(personas):
    owner = personas.owner
    line = build_line(personas.organisation, owner)
    group = build_lesson_group(personas.organisation, pupils=2)
    first, second = group.pupils.order_by("pk")
    m1, m2 = line.milestones.order_by("order")[:2]
    goals = list(line.goals.all())
    save = lambda rows: record_progress(  # noqa: E731
        lesson_group=group, school_year=group.school_year, term=1, rows=rows, by=owner
    )
    save(
        [
            ProgressRow(pupil=first, milestone=m1, goals={g.pk: "developing" for g in goals}),
            ProgressRow(pupil=second, note="Ziek geweest"),
        ]
    )
    save([ProgressRow(pupil=first, milestone=m2, goals={goals[0].pk: "mastered"})])
    record = ProgressRecord.objects.get(pupil=first)
    assert record.milestone == m2
    assert list(record.goals.values_list("status", flat=True)) == ["mastered"]
    assert ProgressRecord.objects.get(pupil=second).milestone is None
    assert ProgressRecord.objects.count() == 2
    event = AuditEvent.objects.filter(action="curriculum.progress_record").order_by("pk").last()
    assert event.details["pupil_ids"] == [first.pk]
    assert LearningLine.objects.count() == 1
