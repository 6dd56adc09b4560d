"""Learning line pages: who reads what, editing drafts, publishing, versions, the choice,
children's progress, the report for parents and the cohort view."""

import pytest
from django.conf import settings
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.curriculum import actions
from leerorkest.curriculum.models import LearningGoal, LearningLine, ProgressRecord, Visibility
from leerorkest.curriculum.progress import ProgressRow, record_progress
from leerorkest.curriculum.tests.builders import build_line
from leerorkest.testing import instrument, make_member
from tests.access_teachers import build_lesson_group, build_teacher

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_read_shared_published_lines_only(client, personas):
    shared = build_line(personas.organisation, personas.owner, visibility=Visibility.SHARED)
    private = build_line(personas.organisation, personas.owner, name="Eigen")
    draft = build_line(
        personas.organisation,
        personas.owner,
        name="Concept",
        publish=False,
        visibility=Visibility.SHARED,
    )
    response = client.get(reverse("curriculum:line_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [shared]
    assert client.get(reverse("curriculum:line_detail", args=[shared.pk])).status_code == 200
    for hidden in (private, draft):
        assert client.get(reverse("curriculum:line_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("curriculum:line_create")).status_code == 302  # to the login


def test_members_read_their_own_lines_and_outsiders_only_shared(client, personas):
    draft = build_line(personas.organisation, personas.owner, publish=False)
    client.force_login(personas.member)
    assert client.get(reverse("curriculum:line_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("curriculum:line_edit", args=[draft.pk])).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(reverse("curriculum:line_detail", args=[draft.pk])).status_code == 404


def test_line_detail_groups_goals_and_shows_milestone_notes(client, personas):
    line = build_line(
        personas.organisation, personas.owner, year_groups=(5, 6), instruments=("violin", "flute")
    )
    client.force_login(personas.member)
    response = client.get(reverse("curriculum:line_detail", args=[line.pk]))
    years = [year for year, _kinds in response.context["by_year"]]
    assert years == [5, 6]
    assert [len(kinds) for _y, kinds in response.context["by_year"]] == [3, 3]
    body = response.content.decode()
    assert "notes 3" in body and "M6.1" in body
    assert "Publish this version" not in body  # teachers read, coordinators edit


def test_list_page_costs_the_same_for_many_lines(client, personas, django_assert_max_num_queries):
    for number in range(6):
        build_line(personas.organisation, personas.owner, name=f"Lijn {number}", stages=1)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("curriculum:line_list"))
    assert response.context["page"].paginator.count == 6


def test_coordinator_builds_publishes_and_versions_a_line(client, personas):
    client.force_login(personas.owner)
    response = client.post(
        reverse("curriculum:line_create"),
        {"name": "Onze leerlijn", "description": "", "visibility": "private"},
    )
    line = LearningLine.objects.get(name="Onze leerlijn")
    assert response.status_code == 302 and line.organisation == personas.organisation
    goal_url = reverse("curriculum:goal_add", args=[line.pk])
    bad = client.post(goal_url, {"year_group": "9", "kind": "musical", "code": "M", "text": "x"})
    assert bad.status_code == 400 and not line.goals.exists()
    ok = client.post(
        goal_url, {"year_group": "5", "kind": "musical", "code": "M5.1", "text": "Klapt"}
    )
    assert ok.status_code == 302
    dup = client.post(goal_url, {"year_group": "5", "kind": "social", "code": "M5.1", "text": "y"})
    assert dup.status_code == 400
    assert "Another goal of this line has this code." in dup.content.decode()
    milestone_url = reverse("curriculum:milestone_add", args=[line.pk])
    violin = instrument("violin")
    response = client.post(milestone_url, {"instrument": violin.pk, "notes": "G3 D4 A4 E5"})
    assert response.status_code == 302
    milestone = line.milestones.get()
    assert (milestone.order, milestone.name) == (1, "Milestone 1")
    goal = line.goals.get()
    response = client.post(
        reverse("curriculum:goal_edit", args=[goal.pk]),
        {"year_group": "5", "kind": "musical", "code": "M5.1", "text": "Klapt ritmes"},
    )
    assert response.status_code == 302
    client.post(reverse("curriculum:line_publish", args=[line.pk]))
    line.refresh_from_db()
    assert line.status == "published"
    # Published: the edit pages refuse, nothing changes.
    response = client.post(
        reverse("curriculum:goal_edit", args=[goal.pk]),
        {"year_group": "5", "kind": "musical", "code": "M5.1", "text": "Anders"},
    )
    assert response.status_code == 400
    assert LearningGoal.objects.get(pk=goal.pk).text == "Klapt ritmes"
    response = client.post(reverse("curriculum:line_new_version", args=[line.pk]))
    draft = LearningLine.objects.get(name="Onze leerlijn", version=2)
    assert response.url == reverse("curriculum:line_detail", args=[draft.pk])
    client.post(reverse("curriculum:goal_delete", args=[draft.goals.get().pk]))
    assert not draft.goals.exists() and line.goals.count() == 1


def test_the_programme_chooses_its_line(client, personas):
    other_coordinator = make_member(personas.other, Role.PARTNER_COORDINATOR)
    shared = build_line(personas.other, other_coordinator, visibility=Visibility.SHARED)
    own = build_line(personas.organisation, personas.owner, name="Eigen")
    client.force_login(personas.owner)
    page = client.get(reverse("curriculum:line_list"))
    assert page.context["in_use"] == own
    client.post(reverse("curriculum:line_choose"), {"line": shared.pk})
    assert actions.line_for_organisation(personas.organisation) == shared
    private = build_line(personas.other, other_coordinator, name="Privé")
    client.post(reverse("curriculum:line_choose"), {"line": private.pk})
    assert actions.line_for_organisation(personas.organisation) == shared


def _recorded(personas, *, teacher_user=None):
    line = build_line(personas.organisation, personas.owner, year_groups=(5,))
    teacher = build_teacher(personas.organisation, user=teacher_user) if teacher_user else None
    group = build_lesson_group(personas.organisation, teacher=teacher, pupils=2)
    pupil = group.pupils.order_by("pk").first()
    goals = {g.code: g for g in line.goals.all()}
    for term, stage in ((1, 1), (2, 2)):
        record_progress(
            lesson_group=group,
            school_year=group.school_year,
            term=term,
            rows=[
                ProgressRow(
                    pupil=pupil,
                    milestone=line.milestones.get(order=stage),
                    goals={goals["M5.1"].pk: "mastered", goals["S5.3"].pk: "developing"},
                    note=f"Term {term}",
                )
            ],
            by=personas.owner,
        )
    return line, group, pupil


def test_a_childs_progress_newest_first_for_its_teacher_and_coordinators(client, personas):
    teacher_user = make_member(personas.organisation, Role.TEACHER)
    _line, _group, pupil = _recorded(personas, teacher_user=teacher_user)
    url = reverse("curriculum:pupil_progress", args=[pupil.pk])
    for user in (teacher_user, personas.owner):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert [r.term for r in response.context["records"]] == [2, 1]
    assert AuditEvent.objects.filter(action="progress.view", object_id=str(pupil.pk)).count() == 2
    client.force_login(personas.member)  # a teacher of the programme, not of this child
    assert client.get(url).status_code == 404


def test_the_report_for_parents_in_dutch_and_english(client, personas):
    _line, _group, pupil = _recorded(personas)
    client.force_login(personas.owner)
    url = reverse("curriculum:pupil_report", args=[pupil.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.get(url)
    assert response.status_code == 200
    section = response.context["sections"][0]
    assert section["record"].term == 2
    assert [g.code for g in section["mastered"]] == ["M5.1"]
    body = response.content.decode()
    assert "notes 2" in body and "vastgelegd in periode 2" in body
    assert '<html lang="nl">' in body and "curriculum.css" in body  # print rules live there
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(url).content.decode()
    assert '<html lang="en">' in body and "recorded in term 2" in body
    assert "How Kind" in body or f"How {pupil.given_name} is doing in music" in body
    assert AuditEvent.objects.filter(action="progress.report").exists()


def test_cohort_view_shares_per_instrument_and_groep(
    client, personas, django_assert_max_num_queries
):
    _line, group, pupil = _recorded(personas)
    second = group.pupils.exclude(pk=pupil.pk).get()
    record_progress(
        lesson_group=group,
        school_year=group.school_year,
        term=2,
        rows=[ProgressRow(pupil=second)],
        by=personas.owner,
    )
    client.force_login(personas.owner)
    url = reverse("curriculum:cohort") + f"?year={group.school_year.starts_on.year}"
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.context["term"] == 2
    assert response.context["stages"] == [0, 2]
    row, shares = response.context["rows"][0]
    assert (row.instrument.code, row.year_group, row.total) == ("violin", 5, 2)
    assert shares == [(1, 50), (1, 50)]
    for _n in range(4):
        build_lesson_group(personas.organisation)
    with django_assert_max_num_queries(14):
        client.get(url + f"&school={group.school_id}")
    client.force_login(personas.member)
    assert client.get(url).status_code == 403
    assert ProgressRecord.objects.count() == 3
