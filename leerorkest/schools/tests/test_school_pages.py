"""School pages, the year rollover, and who sees which pupils (targets A3, A7, F1)."""

from datetime import date

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.schools.actions import next_class_name, roll_over_school, undo_rollover
from leerorkest.schools.models import (
    ClassPlacement,
    Holiday,
    Pupil,
    SchoolClass,
    SchoolParticipation,
)
from leerorkest.schools.tests.builders import build_world
from leerorkest.testing import make_class, make_pupil, make_school


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_school_list_shows_this_years_figures(client, personas, world):
    client.force_login(personas.owner)
    response = client.get(reverse("schools:school_list"), {"year": 2026})
    [school] = response.context["page"]
    assert (school.class_count, school.pupil_count) == (4, 12)
    assert school.participation.music_day == 3


def test_school_contact_goes_straight_to_their_school(client, personas, world):
    client.force_login(world.contact)
    response = client.get(reverse("schools:school_list"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("schools:school_detail", args=[world.school.pk])


def test_other_programmes_see_no_schools(client, personas, world):
    client.force_login(personas.outsider)
    assert client.get(reverse("schools:school_list")).context["page"].paginator.count == 0
    url = reverse("schools:school_detail", args=[world.school.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [3, 40])
def test_school_list_queries_do_not_grow(client, personas, count, django_assert_max_num_queries):
    for _ in range(count):
        school = make_school(personas.organisation)
        make_pupil(make_class(school, year_group=5))
    client.force_login(personas.owner)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("schools:school_list"), {"year": 2026}).status_code == 200


def test_school_page_shows_the_year_at_a_glance(client, personas, world):
    client.force_login(personas.owner)
    response = client.get(reverse("schools:school_detail", args=[world.school.pk]), {"year": 2026})
    assert response.context["participation"].year_groups == [5, 6, 7, 8]
    assert [c.pupil_count for c in response.context["classes"]] == [3, 3, 3, 3]
    assert list(response.context["groups"]) == [{"year_group": 6, "count": 1, "pupils": 1}]
    assert response.context["can_roll_over"] is True


def test_participation_form_refuses_a_window_that_ends_before_it_starts(client, personas, world):
    client.force_login(personas.owner)
    url = reverse("schools:participation_edit", args=[world.school.pk]) + "?year=2026"
    response = client.post(
        url,
        {
            "year_groups": ["5", "6"],
            "music_day": "1",
            "day_starts_at": "14:00",
            "day_ends_at": "09:00",
        },
    )
    assert response.status_code == 200
    assert "day_ends_at" in response.context["form"].errors
    assert SchoolParticipation.objects.get(school=world.school).music_day == 3
    response = client.post(
        url,
        {
            "year_groups": ["5", "6"],
            "music_day": "1",
            "day_starts_at": "09:00",
            "day_ends_at": "14:00",
            "instruments": [],
        },
    )
    assert response.status_code == 302
    saved = SchoolParticipation.objects.get(school=world.school)
    assert (saved.music_day, saved.year_groups, saved.instruments.count()) == (1, [5, 6], 0)


def test_school_contact_cannot_change_participation(client, personas, world):
    client.force_login(world.contact)
    assert (
        client.get(reverse("schools:participation_edit", args=[world.school.pk])).status_code == 403
    )


@pytest.mark.parametrize(
    ("name", "year_group", "expected"),
    [("5B", 5, "6B"), ("groep 5", 5, "groep 6"), ("5/6", 5, "6/6"), ("Uil", 5, "6 (Uil)")],
)
def test_class_names_move_up(name, year_group, expected):
    assert next_class_name(name, year_group) == expected


def test_rollover_moves_everyone_up_and_marks_groep_8_leaving(personas, world):
    leaver = world.pupils[-1]
    rollover = roll_over_school(
        school=world.school,
        from_year=world.year,
        by=personas.owner,
        secondary_schools={leaver.pk: "SG Reigersbos"},
    )
    next_year = world.year.next()
    new = SchoolClass.objects.filter(school=world.school, school_year=next_year)
    assert sorted(new.values_list("name", "year_group")) == [("6A", 6), ("7A", 7), ("8A", 8)]
    assert ClassPlacement.objects.filter(school_year=next_year).count() == 9
    leaver.refresh_from_db()
    assert (leaver.left_on, leaver.secondary_school) == (date(2027, 7, 31), "SG Reigersbos")
    assert ClassPlacement.objects.get(pupil=leaver, school_year=world.year).is_leaving
    copy = SchoolParticipation.objects.get(school=world.school, school_year=next_year)
    assert copy.instruments.count() == 2
    # Nothing of the old year was lost.
    assert ClassPlacement.objects.filter(school_year=world.year).count() == 12
    assert AuditEvent.objects.filter(action="school.rollover").count() == 1
    with pytest.raises(DomainError):
        roll_over_school(school=world.school, from_year=world.year, by=personas.owner)
    assert rollover.record["leavers"][0]["pupil"] in {p.pk for p in world.pupils}


def test_undo_restores_the_state_before(personas, world):
    before = (
        SchoolClass.objects.count(),
        ClassPlacement.objects.count(),
        SchoolParticipation.objects.count(),
        list(Pupil.objects.order_by("pk").values_list("left_on", "secondary_school")),
    )
    rollover = roll_over_school(school=world.school, from_year=world.year, by=personas.owner)
    undo_rollover(rollover=rollover, by=personas.owner)
    after = (
        SchoolClass.objects.count(),
        ClassPlacement.objects.count(),
        SchoolParticipation.objects.count(),
        list(Pupil.objects.order_by("pk").values_list("left_on", "secondary_school")),
    )
    assert after == before
    assert not ClassPlacement.objects.filter(pupil=world.pupils[-1], is_leaving=True).exists()
    # And the school can move on again.
    roll_over_school(school=world.school, from_year=world.year, by=personas.owner)


def test_undo_is_refused_once_the_new_year_has_started(personas):
    world = build_world(personas, start_year=2024)
    rollover = roll_over_school(school=world.school, from_year=world.year, by=personas.owner)
    Holiday.objects.create(
        school_year=rollover.to_year,
        region="noord",
        kind="summer",
        starts_on=date(2025, 8, 1),
        ends_on=date(2025, 8, 17),
    )
    with pytest.raises(DomainError) as refused:
        undo_rollover(rollover=rollover, by=personas.owner)
    assert refused.value.code == "school_year_started"


def test_undo_is_refused_when_pupils_were_added_since(personas, world):
    rollover = roll_over_school(school=world.school, from_year=world.year, by=personas.owner)
    newcomer = make_pupil(SchoolClass.objects.get(school_year=rollover.to_year, name="6A"))
    with pytest.raises(DomainError):
        undo_rollover(rollover=rollover, by=personas.owner)
    assert ClassPlacement.objects.filter(pupil=newcomer).exists()


def test_rollover_pages(client, personas, world):
    client.force_login(personas.owner)
    url = reverse("schools:rollover", args=[world.school.pk]) + "?year=2026"
    page = client.get(url)
    assert len(page.context["leavers"]) == 3
    leaver = page.context["leavers"][0].pupil
    response = client.post(url, {f"secondary-{leaver.pk}": "Calvijn College"})
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.secondary_school == "Calvijn College"
    detail = client.get(reverse("schools:school_detail", args=[world.school.pk]), {"year": 2026})
    rollover = detail.context["rollover"]
    assert rollover is not None and detail.context["can_roll_over"] is False
    assert client.post(reverse("schools:rollover_undo", args=[rollover.pk])).status_code == 302
    rollover.refresh_from_db()
    assert rollover.undone_at is not None


def test_home_figures_for_coordinator_and_school_contact(client, personas):
    from django.utils import timezone

    from leerorkest.demo.programme import current_start_year

    world = build_world(personas, start_year=current_start_year(timezone.localdate()))
    client.force_login(personas.owner)
    figures = {f.key: f.value for f in client.get(reverse("home")).context["figures"]}
    assert (figures["schools_taking_part"], figures["pupils_this_year"]) == (1, 12)
    assert figures["leaving_groep_8"] == 0
    client.force_login(world.contact)
    figures = {f.key: f.value for f in client.get(reverse("home")).context["figures"]}
    assert (figures["classes_this_year"], figures["pupils_this_year"]) == (4, 12)
