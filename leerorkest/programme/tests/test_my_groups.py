"""A teacher's own groups on a phone: only their own, today's first, names and classes only,
every page a recorded pupil read."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leerorkest.accounts.models import AuditEvent, Membership
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import LessonGroupMember
from leerorkest.programme.teacher_views import GroupCard, _by_day
from leerorkest.testing import make_member, make_organisation
from tests.access_teachers import build_ensemble, build_lesson_group, build_school, build_teacher

MY_GROUPS = reverse("programme:my_groups")
WEDNESDAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English texts; the Dutch ones are checked by the catalogue test."""
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def wednesday(monkeypatch):
    """Pin today to a Wednesday in school year 2026-2027."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: WEDNESDAY)
    return WEDNESDAY


@pytest.fixture
def timetable(personas, wednesday):
    """The member teaches a Monday group and a Wednesday group and conducts an orchestra; a
    colleague teaches another group at the Wednesday school."""
    programme = personas.organisation
    me = build_teacher(programme, name="Ik", user=personas.member)
    colleague = build_teacher(programme, name="Collega", user=make_member(programme, Role.TEACHER))
    monday_school = build_school(programme, music_day=0, name="OBS Maandag")
    wednesday_school = build_school(programme, music_day=2, name="OBS Woensdag")
    monday = build_lesson_group(programme, teacher=me, school=monday_school, name="Cello 5A")
    today = build_lesson_group(programme, teacher=me, school=wednesday_school, name="Viool 5B")
    other = build_lesson_group(
        programme, teacher=colleague, school=wednesday_school, name="Fluit 5C"
    )
    orchestra = build_ensemble(
        programme, conductor=me, school=monday_school, name="Leerorkest groep 6"
    )
    return {"monday": monday, "today": today, "other": other, "orchestra": orchestra}


def pupils_of(group):
    return [m.pupil for m in LessonGroupMember.objects.filter(group=group).select_related("pupil")]


def test_teacher_sees_own_groups_today_first_with_names_and_classes(client, personas, timetable):
    today_pupil = pupils_of(timetable["today"])[0]
    today_pupil.parent_name = "Ouder Geheim"
    today_pupil.parent_phone = "0612345678"
    today_pupil.save()
    client.force_login(personas.member)
    response = client.get(MY_GROUPS)
    assert response.status_code == 200
    sections = response.context["sections"]
    assert sections[0].is_today and [c.name for c in sections[0].cards] == ["Viool 5B"]
    assert [c.name for c in sections[1].cards] == ["Cello 5A", "Leerorkest groep 6"]
    assert sections[1].day == 0 and not sections[1].is_today
    html = response.content.decode()
    for group in ("monday", "today"):
        for pupil in pupils_of(timetable[group]):
            assert pupil.full_name in html
    class_name = today_pupil.placements.get().school_class.name
    assert class_name in html and "OBS Woensdag" in html
    # Nothing else about the children: no date of birth, no parent.
    for shown in ("14-03-2017", "2017-03-14", "14 maart 2017", "March 14, 2017", "14 March 2017"):
        assert shown not in html
    assert "Ouder Geheim" not in html and "0612345678" not in html
    # Nothing of a colleague's group.
    assert "Fluit 5C" not in html
    for pupil in pupils_of(timetable["other"]):
        assert pupil.full_name not in html


def test_orchestra_shows_playing_members_only(client, personas, timetable):
    client.force_login(personas.member)
    response = client.get(reverse("programme:my_ensemble", args=[timetable["orchestra"].pk]))
    card = response.context["card"]
    assert len(card.pupils) == 3  # the one who left is not listed
    statuses = set(timetable["orchestra"].members.values_list("status", flat=True))
    assert statuses == {"active", "left"}


def test_each_page_is_one_recorded_pupil_read(client, personas, timetable):
    client.force_login(personas.member)
    client.get(MY_GROUPS)
    rows = AuditEvent.objects.filter(action="pupil.list", actor=personas.member)
    assert rows.count() == 1
    shown = set(rows.get().details["pupil_ids"])
    expected = {p.pk for g in ("monday", "today") for p in pupils_of(timetable[g])}
    expected |= set(
        timetable["orchestra"].members.filter(status="active").values_list("pupil_id", flat=True)
    )
    assert shown == expected
    client.get(reverse("programme:my_group", args=[timetable["today"].pk]))
    assert AuditEvent.objects.filter(action="pupil.list", actor=personas.member).count() == 2


def test_other_teachers_groups_are_not_found(client, personas, timetable):
    client.force_login(personas.member)
    assert (
        client.get(reverse("programme:my_group", args=[timetable["other"].pk])).status_code == 404
    )
    assert (
        client.get(reverse("programme:my_group", args=[timetable["today"].pk])).status_code == 200
    )
    other_orchestra = build_ensemble(personas.organisation, name="Niet van mij")
    url = reverse("programme:my_ensemble", args=[other_orchestra.pk])
    assert client.get(url).status_code == 404


def test_school_contacts_outsiders_and_former_teachers_see_nothing(client, personas, timetable):
    group_url = reverse("programme:my_group", args=[timetable["today"].pk])
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    contact = make_member(school, Role.SCHOOL_CONTACT)
    client.force_login(contact)
    assert client.get(MY_GROUPS).status_code == 403
    assert client.get(group_url).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(group_url).status_code == 404
    assert client.get(MY_GROUPS).context["sections"] == []
    # A teacher whose role was taken away keeps the profile link but sees no children.
    Membership.objects.filter(user=personas.member).delete()
    Membership.objects.create(user=personas.member, organisation=personas.other, role=Role.TEACHER)
    client.force_login(personas.member)
    assert client.get(MY_GROUPS).context["sections"] == []
    assert client.get(group_url).status_code == 404


def test_the_coordinator_may_open_any_group_of_the_programme(client, personas, timetable):
    client.force_login(personas.owner)
    response = client.get(reverse("programme:my_group", args=[timetable["other"].pk]))
    assert response.status_code == 200
    assert len(response.context["card"].pupils) == 3


def test_a_teacher_without_profile_is_told_so(client, personas, wednesday):
    client.force_login(personas.member)
    response = client.get(MY_GROUPS)
    assert "not linked to a teacher profile" in response.content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_my_groups_queries_do_not_grow(
    client, personas, wednesday, count, django_assert_max_num_queries
):
    programme = personas.organisation
    me = build_teacher(programme, name="Ik", user=personas.member)
    school = build_school(programme, music_day=2)
    for n in range(count):
        build_lesson_group(programme, teacher=me, school=school, pupils=2, name=f"Groep {n}")
    build_ensemble(programme, conductor=me, players=count)
    client.force_login(personas.member)
    with django_assert_max_num_queries(20):
        response = client.get(MY_GROUPS)
    assert sum(len(s.cards) for s in response.context["sections"]) == count + 1


def card(name, day):
    return GroupCard("group", 1, name, "School", 5, "Viool", day)


@pytest.mark.parametrize(
    ("today", "first_label", "order"),
    [
        (date(2026, 11, 23), "Today, Monday", ["ma", "di", "vr", "geen"]),  # Monday
        (date(2026, 11, 24), "Today, Tuesday", ["di", "vr", "ma", "geen"]),  # Tuesday
        (date(2026, 11, 28), "Monday", ["ma", "di", "vr", "geen"]),  # Saturday
        (date(2026, 11, 29), "Tomorrow, Monday", ["ma", "di", "vr", "geen"]),  # Sunday
    ],
)
def test_days_start_today_and_wrap_round_the_week(today, first_label, order):
    cards = [card("vr", 4), card("geen", None), card("di", 1), card("ma", 0)]
    with translation.override("en"):
        sections = _by_day(cards, today)
    assert sections[0].label == first_label
    assert [c.name for s in sections for c in s.cards] == order
    assert sections[-1].label == "No fixed day"
