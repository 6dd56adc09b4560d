"""The progress grid: a lesson group's whole term in one save, pre-filled from the term before,
for the group's teacher and the programme's coordinators only."""

import pytest
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.curriculum.models import GoalStatus, ProgressRecord
from leerorkest.curriculum.progress import ProgressRow, record_progress
from leerorkest.curriculum.tests.builders import build_line
from leerorkest.testing import make_member
from tests.access_teachers import build_lesson_group, build_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    line = build_line(personas.organisation, personas.owner, instruments=("violin", "cello"))
    teacher_user = make_member(personas.organisation, Role.TEACHER)
    teacher = build_teacher(personas.organisation, user=teacher_user)
    group = build_lesson_group(personas.organisation, teacher=teacher, pupils=3)
    return line, teacher_user, group


def _url(group, term=1):
    return reverse("curriculum:progress_grid", args=[group.pk]) + f"?term={term}"


def _post(line, group, *, milestone=None, status="mastered"):
    milestone = milestone or line.milestones.filter(instrument__code="violin").first()
    data = {"term": "1"}
    for pupil in group.pupils.all():
        data[f"m-{pupil.pk}"] = str(milestone.pk)
        data[f"n-{pupil.pk}"] = "Goed bezig"
        for goal in line.goals.all():
            data[f"g-{pupil.pk}-{goal.pk}"] = status
    return data


def test_teacher_sees_the_grid_with_goals_of_the_groep(client, world):
    line, teacher_user, group = world
    client.force_login(teacher_user)
    response = client.get(_url(group))
    assert response.status_code == 200
    body = response.content.decode()
    for pupil in group.pupils.all():
        assert f'name="m-{pupil.pk}"' in body
        assert pupil.full_name in body
    for goal in line.goals.all():
        assert goal.code in body and goal.text in body
    assert AuditEvent.objects.filter(action="progress.grid").exists()


def test_the_grid_costs_the_same_for_a_bigger_group(client, world, personas):
    _line, teacher_user, group = world
    big = build_lesson_group(
        personas.organisation, teacher=group.teacher, pupils=6, school=group.school
    )
    client.force_login(teacher_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_run:
        client.get(_url(group))
    with CaptureQueriesContext(connection) as big_run:
        client.get(_url(big))
    assert len(big_run) == len(small_run)
    assert len(big_run) <= 20


def test_one_save_records_the_whole_group(client, world):
    line, teacher_user, group = world
    client.force_login(teacher_user)
    response = client.post(_url(group), _post(line, group))
    assert response.status_code == 302
    assert ProgressRecord.objects.filter(lesson_group=group, term=1).count() == 3
    assert GoalStatus.objects.filter(status="mastered").count() == 3 * 3
    assert set(ProgressRecord.objects.values_list("recorded_by", flat=True)) == {teacher_user.pk}
    page = client.get(_url(group)).content.decode()
    assert "Goed bezig" in page


def test_bad_input_is_400_and_nothing_is_saved(client, world):
    line, teacher_user, group = world
    client.force_login(teacher_user)
    bad_status = _post(line, group, status="perfect")
    response = client.post(_url(group), bad_status)
    assert response.status_code == 400
    cello = line.milestones.filter(instrument__code="cello").first()
    response = client.post(_url(group), _post(line, group, milestone=cello))
    assert response.status_code == 400
    assert "Choose a milestone of this instrument." in response.content.decode()
    too_long = _post(line, group)
    too_long[f"n-{group.pupils.first().pk}"] = "x" * 201
    assert client.post(_url(group), too_long).status_code == 400
    assert not ProgressRecord.objects.exists()


def test_a_pupil_of_another_group_is_refused(client, world, personas):
    line, teacher_user, group = world
    other = build_lesson_group(personas.organisation, teacher=group.teacher)
    data = _post(line, group)
    data[f"m-{other.pupils.first().pk}"] = ""
    client.force_login(teacher_user)
    response = client.post(_url(group), data)
    assert response.status_code == 400
    assert not ProgressRecord.objects.exists()


def test_teacher_of_another_group_is_refused(client, world, personas):
    line, _teacher_user, group = world
    someone = make_member(personas.organisation, Role.TEACHER)
    build_lesson_group(
        personas.organisation, teacher=build_teacher(personas.organisation, user=someone)
    )
    client.force_login(someone)
    assert client.get(_url(group)).status_code == 404
    assert client.post(_url(group), _post(line, group)).status_code == 404
    assert not ProgressRecord.objects.exists()


def test_coordinator_records_too(client, world, personas):
    line, _teacher_user, group = world
    client.force_login(personas.owner)
    assert client.post(_url(group), _post(line, group)).status_code == 302
    assert ProgressRecord.objects.count() == 3


def test_an_empty_term_is_prefilled_from_the_term_before(client, world):
    line, teacher_user, group = world
    pupil = group.pupils.order_by("pk").first()
    stage2 = line.milestones.get(instrument__code="violin", order=2)
    goal = line.goals.get(code="M5.1")
    record_progress(
        lesson_group=group,
        school_year=group.school_year,
        term=1,
        rows=[ProgressRow(pupil=pupil, milestone=stage2, goals={goal.pk: "developing"})],
        by=teacher_user,
    )
    client.force_login(teacher_user)
    response = client.get(_url(group, term=2))
    grid = response.context["grid"]
    assert grid.prefilled_from == (group.school_year, 1)
    row = next(r for r in grid.rows if r.pupil.pk == pupil.pk)
    assert row.milestone == stage2 and row.goals == {goal.pk: "developing"}
    assert row.record is None
    assert f'<option value="{stage2.pk}" selected>' in response.content.decode()


def test_without_a_published_line_the_grid_says_so(client, personas):
    teacher_user = make_member(personas.organisation, Role.TEACHER)
    group = build_lesson_group(
        personas.organisation, teacher=build_teacher(personas.organisation, user=teacher_user)
    )
    client.force_login(teacher_user)
    response = client.get(_url(group))
    assert response.status_code == 200
    assert response.context["grid"].line is None
    assert client.post(_url(group), {f"m-{group.pupils.first().pk}": ""}).status_code == 400
