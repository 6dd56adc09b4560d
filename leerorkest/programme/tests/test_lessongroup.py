"""Lesson groups: forming them from the assignment, teachers, moving pupils, the list and API."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError, create_api_token
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.programme.choice import groups
from leerorkest.programme.choice.grouping import (
    TeacherLoad,
    fill_existing,
    group_label,
    group_name,
    pick_teacher,
    split_sizes,
)
from leerorkest.programme.models import InstrumentChoice, LessonGroup, LessonGroupMember
from leerorkest.testing import instrument, make_member, make_pupil, make_school
from tests.access_choice import make_lesson_group, make_teacher, make_year_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English, so the messages checked below do not depend on the translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- the plain grouping rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "largest", "sizes"),
    [
        (0, 6, []),
        (1, 6, [1]),
        (6, 6, [6]),
        (7, 6, [4, 3]),
        (13, 6, [5, 4, 4]),
        (12, 5, [4, 4, 4]),
        (10, 3, [3, 3, 2, 2]),
    ],
)
def test_groups_are_as_few_and_as_even_as_possible(count, largest, sizes):
    assert split_sizes(count, largest) == sizes
    assert sum(sizes) == count
    assert all(size <= largest for size in sizes)


def test_newcomers_fill_the_smallest_existing_groups_first():
    assert fill_existing([5, 2], [6, 6], 3) == ([0, 3], 0)
    assert fill_existing([5, 5], [6, 6], 4) == ([1, 1], 2)
    assert fill_existing([], [], 4) == ([], 4)


def test_names_are_unique_per_school_year():
    taken = {"Viool 5A-1"}
    assert group_name("Viool", "5A", taken) == "Viool 5A-2"
    assert group_name("Viool", "5A", taken) == "Viool 5A-3"
    assert group_name("Cello", "5", taken) == "Cello 5-1"
    assert group_label({"5A"}, 5) == "5A"
    assert group_label({"5A", "5B"}, 5) == "5"


def test_teacher_at_the_school_first_then_the_least_loaded():
    far = TeacherLoad(1, "Anna", at_school=False, groups=0)
    here = TeacherLoad(2, "Bram", at_school=True, groups=5)
    light = TeacherLoad(3, "Cees", at_school=True, groups=2)
    assert pick_teacher([far, here, light]) is light
    assert pick_teacher([far]) is far
    assert pick_teacher([]) is None


# --- forming groups ------------------------------------------------------------------------------


def assign(data, codes):
    """Give the pupils their assigned instruments (as a run would)."""
    for pupil, code in zip(data.pupils, codes, strict=True):
        InstrumentChoice.objects.update_or_create(
            pupil=pupil,
            school_year=data.year,
            defaults={"assigned": instrument(code) if code else None},
        )


def test_forming_groups_splits_names_and_gives_teachers(personas):
    data = make_year_group(personas.organisation, pupils=16, menu=("violin", "cello"))
    assign(data, ["violin"] * 13 + ["cello"] * 2 + [None])
    violinist = make_teacher(personas.organisation, "violin", name="Anna Viool")
    cellist = make_teacher(personas.organisation, "cello", "violin", name="Carla Cello")
    make_teacher(personas.organisation, "flute", name="Fleur Fluit")

    summary = groups.form_lesson_groups(scope=data.scope, by=personas.owner)

    assert summary == {
        "created": 4,
        "placed": 15,
        "moved": 0,
        "without_teacher": 0,
        "unassigned": 1,
    }
    violins = LessonGroup.objects.filter(instrument__code="violin").order_by("name")
    assert [g.name for g in violins] == ["Viool 5A-1", "Viool 5A-2", "Viool 5A-3"]
    assert sorted(g.members.count() for g in violins) == [4, 4, 5]
    assert all(g.max_size == 6 and g.organisation == personas.organisation for g in violins)
    # Anna comes first by name; once she teaches at the school she takes the other violin
    # groups too (a small team per school). Only Carla teaches the cello.
    assert {g.teacher for g in violins} == {violinist}
    cello = LessonGroup.objects.get(instrument__code="cello")
    assert cello.name == "Cello 5A-1" and cello.teacher == cellist
    assert LessonGroupMember.objects.count() == 15
    event = AuditEvent.objects.get(action="lesson_groups.form")
    assert event.details["placed"] == 15
    assert len(event.details["pupil_ids"]) == 15


def test_a_teacher_already_at_the_school_is_preferred(personas):
    busy_here = make_teacher(personas.organisation, "violin", name="Al hier")
    idle = make_teacher(personas.organisation, "violin", name="Nog niets")
    data = make_year_group(personas.organisation, pupils=2, menu=("violin",))
    LessonGroup.objects.create(
        organisation=personas.organisation,
        school=data.school,
        school_year=data.year,
        year_group=6,
        instrument=instrument("violin"),
        name="Viool 6A-1",
        teacher=busy_here,
        max_size=6,
    )
    assign(data, ["violin", "violin"])
    groups.form_lesson_groups(scope=data.scope, by=personas.owner)
    assert LessonGroup.objects.get(year_group=5).teacher == busy_here
    # At another school the least loaded teacher gets the group.
    other = make_year_group(personas.organisation, pupils=1, menu=("violin",))
    assign(other, ["violin"])
    groups.form_lesson_groups(scope=other.scope, by=personas.owner)
    assert LessonGroup.objects.get(school=other.school).teacher == idle


def test_groups_across_classes_are_named_after_the_year_group(personas):
    data = make_year_group(personas.organisation, pupils=4, classes=2, menu=("flute",))
    assign(data, ["flute"] * 4)
    groups.form_lesson_groups(scope=data.scope, by=personas.owner)
    group = LessonGroup.objects.get()
    assert group.name == "Dwarsfluit 5-1"
    assert group.teacher is None  # nobody teaches the flute


def test_forming_again_keeps_groups_and_places_only_new_children(personas):
    data = make_year_group(personas.organisation, pupils=8, menu=("violin", "cello"))
    assign(data, ["violin"] * 5 + ["cello"] * 3)
    groups.form_lesson_groups(scope=data.scope, by=personas.owner)
    before = {
        g.pk: set(g.members.values_list("pupil_id", flat=True)) for g in LessonGroup.objects.all()
    }

    # One child now plays the cello instead of the violin; one more violinist joins.
    newcomer = make_pupil(data.classes[0])
    InstrumentChoice.objects.filter(pupil=data.pupils[0]).update(assigned=instrument("cello"))
    InstrumentChoice.objects.create(
        pupil=newcomer, school_year=data.year, assigned=instrument("violin")
    )
    summary = groups.form_lesson_groups(scope=data.scope, by=personas.owner)

    assert summary["created"] == 0
    assert summary["moved"] == 1
    assert summary["placed"] == 2
    after = {
        g.pk: set(g.members.values_list("pupil_id", flat=True)) for g in LessonGroup.objects.all()
    }
    assert set(after) == set(before)
    violin = LessonGroup.objects.get(instrument__code="violin")
    cello = LessonGroup.objects.get(instrument__code="cello")
    assert after[violin.pk] == before[violin.pk] - {data.pupils[0].pk} | {newcomer.pk}
    assert after[cello.pk] == before[cello.pk] | {data.pupils[0].pk}


def test_forming_groups_from_the_page_redirects_to_the_list(client, personas):
    data = make_year_group(personas.organisation, pupils=3, menu=("violin",))
    assign(data, ["violin"] * 3)
    client.force_login(personas.owner)
    path = reverse(
        "programme:lessongroup_form", kwargs={"school_pk": data.school.pk, "year_group": 5}
    )
    response = client.post(path + f"?year={data.year.pk}")
    assert response.status_code == 302
    assert response.url.startswith(reverse("programme:lessongroup_list"))
    assert LessonGroupMember.objects.count() == 3
    client.force_login(personas.member)
    assert client.post(path).status_code == 403


# --- one group -----------------------------------------------------------------------------------


def sibling(data, name="Viool 5A-9", max_size=6, code="violin"):
    return LessonGroup.objects.create(
        organisation=data.group.organisation,
        school=data.school,
        school_year=data.year,
        year_group=5,
        instrument=instrument(code),
        name=name,
        max_size=max_size,
    )


def test_moving_a_pupil_to_a_group_with_room(client, personas):
    data = make_lesson_group(personas.organisation, pupils=2)
    other = sibling(data)
    pupil = data.pupils[0]
    client.force_login(personas.owner)
    path = reverse("programme:lessongroup_move", args=[data.group.pk])
    response = client.post(path, {"pupil": pupil.pk, "to_group": other.pk})
    assert response.status_code == 302
    assert LessonGroupMember.objects.get(pupil=pupil).group == other
    event = AuditEvent.objects.get(action="lesson_group.move_pupil")
    assert event.details == {"pupil_id": pupil.pk, "to_group_id": other.pk}


def test_moving_to_a_full_group_or_another_instrument_is_refused(client, personas):
    data = make_lesson_group(personas.organisation, pupils=2)
    full = sibling(data, max_size=1)
    LessonGroupMember.objects.create(
        group=full, pupil=make_year_group(personas.organisation, pupils=1).pupils[0]
    )
    cello = sibling(data, name="Cello 5A-1", code="cello")
    pupil = data.pupils[0]
    with pytest.raises(DomainError) as refused:
        groups.move_pupil(group=data.group, pupil_id=pupil.pk, to_group=full, by=personas.owner)
    assert refused.value.code == "full"
    with pytest.raises(DomainError):
        groups.move_pupil(group=data.group, pupil_id=pupil.pk, to_group=cello, by=personas.owner)
    client.force_login(personas.owner)
    path = reverse("programme:lessongroup_move", args=[data.group.pk])
    response = client.post(path, {"pupil": pupil.pk, "to_group": full.pk}, follow=True)
    assert "is full" in response.content.decode()
    assert LessonGroupMember.objects.get(pupil=pupil).group == data.group
    assert not AuditEvent.objects.filter(action="lesson_group.move_pupil").exists()


def test_removing_and_adding_a_pupil(client, personas):
    data = make_lesson_group(personas.organisation, pupils=2)
    pupil = data.pupils[0]
    client.force_login(personas.owner)
    client.post(reverse("programme:lessongroup_remove", args=[data.group.pk]), {"pupil": pupil.pk})
    assert not LessonGroupMember.objects.filter(pupil=pupil).exists()
    assert AuditEvent.objects.filter(action="lesson_group.remove_pupil").exists()
    page = client.get(reverse("programme:lessongroup_detail", args=[data.group.pk]))
    assert [p.pupil_id for p in page.context["addable"]] == [pupil.pk]
    client.post(reverse("programme:lessongroup_add", args=[data.group.pk]), {"pupil": pupil.pk})
    assert LessonGroupMember.objects.get(pupil=pupil).group == data.group


def test_one_lesson_group_per_pupil_per_year_becomes_a_clear_refusal(personas):
    data = make_lesson_group(personas.organisation, pupils=1)
    other = sibling(data)
    with pytest.raises(DomainError) as refused:
        groups.add_pupil(group=other, pupil_id=data.pupils[0].pk, by=personas.owner)
    assert refused.value.code == "conflict"
    assert LessonGroupMember.objects.get(pupil=data.pupils[0]).group == data.group


def test_changing_the_teacher_only_to_one_of_the_instrument(client, personas):
    data = make_lesson_group(personas.organisation)
    violinist = make_teacher(personas.organisation, "violin")
    flautist = make_teacher(personas.organisation, "flute")
    elsewhere = make_teacher(personas.other, "violin")
    client.force_login(personas.owner)
    path = reverse("programme:lessongroup_teacher", args=[data.group.pk])
    for wrong in (flautist, elsewhere):
        response = client.post(path, {"teacher": wrong.pk})
        assert response.status_code == 400
        assert response.context["teacher_form"].errors["teacher"]
    data.group.refresh_from_db()
    assert data.group.teacher is None
    assert client.post(path, {"teacher": violinist.pk}).status_code == 302
    data.group.refresh_from_db()
    assert data.group.teacher == violinist
    assert AuditEvent.objects.get(action="lesson_group.change_teacher").details["teacher_id"] == (
        violinist.pk
    )
    with pytest.raises(DomainError):
        groups.change_teacher(group=data.group, teacher=flautist, by=personas.owner)


def test_group_page_shows_members_to_coordinators_only(client, personas, platform_admin):
    data = make_lesson_group(personas.organisation, pupils=3)
    path = reverse("programme:lessongroup_detail", args=[data.group.pk])
    client.force_login(personas.owner)
    response = client.get(path)
    assert response.status_code == 200
    assert len(response.context["members"]) == 3
    assert response.context["members"][0].class_name == "5A"
    assert AuditEvent.objects.filter(action="pupil.list").exists()
    # Teachers use their own pages and the API; outsiders do not learn the group exists.
    for user, status in ((personas.member, 403), (platform_admin, 403), (personas.outsider, 404)):
        client.force_login(user)
        assert client.get(path).status_code == status


# --- the list --------------------------------------------------------------------------------


def test_list_filters_by_school_year_group_instrument_and_teacher(client, personas):
    teacher = make_teacher(personas.organisation, "violin", "cello")
    violins = make_lesson_group(personas.organisation, teacher=teacher)
    cellos = make_lesson_group(personas.organisation, code="cello")
    make_lesson_group(personas.other, code="cello")  # another programme's group
    client.force_login(personas.owner)
    path = reverse("programme:lessongroup_list")

    def listed(**query):
        response = client.get(path, query)
        assert response.status_code == 200
        return {g.pk for g in response.context["page"]}

    assert listed() == {violins.group.pk, cellos.group.pk}
    assert listed(school=cellos.school.pk) == {cellos.group.pk}
    assert listed(instrument=instrument("violin").pk) == {violins.group.pk}
    assert listed(teacher=teacher.pk) == {violins.group.pk}
    assert listed(teacher="none") == {cellos.group.pk}
    assert listed(year_group=6) == set()
    assert listed(q="Viool") == {violins.group.pk}
    response = client.get(path, {"sort": "size"}, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="groups"')


@pytest.mark.parametrize("count", [3, 40])
def test_list_costs_the_same_queries_for_few_and_many_groups(
    client, personas, count, django_assert_max_num_queries
):
    teacher = make_teacher(personas.organisation, "violin")
    for _n in range(count):
        make_lesson_group(personas.organisation, pupils=1, teacher=teacher)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("programme:lessongroup_list"), {"sort": "teacher"})
    assert len(response.context["page"]) == count


# --- the API ----------------------------------------------------------------------------------


def api_get(client, user, path, **params):
    _token, raw = create_api_token(user=user, name="test")
    return client.get("/api/v1" + path, params, headers={"authorization": f"Bearer {raw}"})


def test_api_coordinators_see_their_groups_teachers_their_own(client, personas):
    own = make_teacher(personas.organisation, "violin", user=personas.member)
    taught = make_lesson_group(personas.organisation, pupils=2, teacher=own)
    other = make_lesson_group(personas.organisation, pupils=2, code="cello")
    theirs = make_lesson_group(personas.other, pupils=1)

    response = api_get(client, personas.owner, "/lesson-groups")
    assert response.status_code == 200
    assert {g["id"] for g in response.json()} == {taught.group.pk, other.group.pk}
    response = api_get(
        client, personas.owner, "/lesson-groups", instrument="cello", school_year=2026
    )
    assert [g["id"] for g in response.json()] == [other.group.pk]
    assert response.json()[0]["size"] == 2
    assert api_get(client, personas.owner, "/lesson-groups", school_year=2025).json() == []
    assert (
        api_get(
            client, personas.owner, "/lesson-groups", school_id=taught.school.pk, year_group=5
        ).json()[0]["id"]
        == taught.group.pk
    )

    response = api_get(client, personas.member, "/lesson-groups")
    assert [g["id"] for g in response.json()] == [taught.group.pk]
    detail = api_get(client, personas.member, f"/lesson-groups/{taught.group.pk}").json()
    assert detail["teacher_name"] == own.full_name
    assert sorted(m["pupil_id"] for m in detail["members"]) == sorted(p.pk for p in taught.pupils)
    assert set(detail["members"][0]) == {"pupil_id", "name"}
    assert api_get(client, personas.member, f"/lesson-groups/{other.group.pk}").status_code == 404
    # Another programme sees only its own groups.
    response = api_get(client, personas.outsider, "/lesson-groups")
    assert [g["id"] for g in response.json()] == [theirs.group.pk]


def test_api_is_closed_to_school_contacts(client, personas):
    data = make_lesson_group(personas.organisation)
    contact = make_member(data.school.organisation, Role.SCHOOL_CONTACT)
    assert api_get(client, contact, "/lesson-groups").status_code == 403
    school = make_school(personas.organisation)
    assert api_get(client, contact, f"/lesson-groups/{data.group.pk}").status_code == 403
    assert school.pk
