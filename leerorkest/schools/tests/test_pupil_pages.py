"""Pupil pages: who sees whom, which fields, and the audit of every read (A3, A7, F1)."""

import pytest
from django.urls import reverse

from leerorkest.accounts.models import AuditEvent
from leerorkest.schools.tests.builders import build_world
from leerorkest.testing import make_class, make_pupil, make_school


@pytest.fixture
def world(personas):
    return build_world(personas)


def listed(client, **params):
    response = client.get(reverse("schools:pupil_list"), {"year": 2026, **params})
    assert response.status_code == 200
    return {p.pk for p in response.context["page"]}


def test_who_sees_which_pupils(client, personas, world):
    everyone = {p.pk for p in world.pupils}
    client.force_login(personas.owner)
    assert listed(client) == everyone
    client.force_login(world.contact)
    assert listed(client) == everyone
    # The teacher sees the one pupil in their lesson group, nobody else.
    client.force_login(personas.member)
    assert listed(client) == {world.pupils[3].pk}
    client.force_login(personas.outsider)
    assert listed(client) == set()


def test_school_contact_sees_only_their_own_school(client, personas, world):
    other = make_school(personas.organisation)
    stranger = make_pupil(make_class(other, year_group=5, school_year=world.year))
    client.force_login(world.contact)
    assert stranger.pk not in listed(client)
    url = reverse("schools:pupil_detail", args=[stranger.pk])
    assert client.get(url).status_code == 404


def test_search_filter_and_sort(client, personas, world):
    target = world.pupils[4]
    client.force_login(personas.owner)
    assert listed(client, q=target.surname) == {target.pk}
    assert listed(client, groep=6) == {p.pk for p in world.pupils[3:6]}
    response = client.get(reverse("schools:pupil_list"), {"year": 2026, "sort": "groep"})
    groeps = [p.current_year_group for p in response.context["page"]]
    assert groeps == sorted(groeps)


def test_every_list_page_is_audited_once(client, personas, world):
    client.force_login(personas.owner)
    listed(client)
    [event] = AuditEvent.objects.filter(action="pupil.list")
    assert sorted(event.details["pupil_ids"]) == sorted(p.pk for p in world.pupils)


@pytest.mark.parametrize("count", [3, 40])
def test_pupil_list_queries_do_not_grow(
    client, personas, world, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_pupil(world.classes[5])
    client.force_login(personas.owner)
    with django_assert_max_num_queries(14):
        listed(client)


def test_pupil_page_is_audited_and_hides_parents_from_school_contacts(client, personas, world):
    pupil = world.pupils[0]
    url = reverse("schools:pupil_detail", args=[pupil.pk])
    client.force_login(personas.owner)
    response = client.get(url)
    assert "06-12345678" in response.content.decode()
    assert AuditEvent.objects.filter(action="pupil.view", object_id=str(pupil.pk)).count() == 1
    client.force_login(world.contact)
    response = client.get(url)
    assert response.status_code == 200
    assert "06-12345678" not in response.content.decode()
    assert "Ouder Test" not in response.content.decode()
    assert AuditEvent.objects.filter(action="pupil.view", object_id=str(pupil.pk)).count() == 2


def test_history_across_years(client, personas, world):
    from leerorkest.schools.actions import roll_over_school

    roll_over_school(school=world.school, from_year=world.year, by=personas.owner)
    client.force_login(personas.owner)
    response = client.get(reverse("schools:pupil_detail", args=[world.pupils[0].pk]))
    years = [str(p.school_year) for p in response.context["placements"]]
    assert years == ["2027-2028", "2026-2027"]


def test_only_coordinators_edit_pupils(client, personas, world):
    pupil = world.pupils[0]
    url = reverse("schools:pupil_edit", args=[pupil.pk])
    client.force_login(world.contact)
    assert client.get(url).status_code == 403
    client.force_login(personas.owner)
    response = client.post(url, {"given_name": "", "surname": "X"})
    assert response.status_code == 200
    assert "given_name" in response.context["form"].errors
    response = client.post(
        url,
        {
            "given_name": "Noor",
            "surname": "Bakker",
            "date_of_birth": "2016-03-04",
            "parent_email": "niet-geldig",
        },
    )
    assert "parent_email" in response.context["form"].errors
    response = client.post(
        url, {"given_name": "Noor", "surname": "Bakker", "date_of_birth": "2016-03-04"}
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (pupil.given_name, pupil.surname) == ("Noor", "Bakker")
    event = AuditEvent.objects.get(action="pupil.update")
    assert "given_name" in event.details["fields"]


def test_class_page_lists_the_class_without_parents(client, personas, world):
    client.force_login(world.contact)
    response = client.get(reverse("schools:class_detail", args=[world.classes[5].pk]))
    assert len(response.context["placements"]) == 3
    assert "06-12345678" not in response.content.decode()
    assert AuditEvent.objects.filter(action="class.view").count() == 1


def test_the_audit_trail_names_no_child(client, personas, world):
    pupil = world.pupils[0]
    client.force_login(personas.owner)
    client.get(reverse("schools:pupil_detail", args=[pupil.pk]))
    event = AuditEvent.objects.get(action="pupil.view")
    assert event.object_repr == f"pupil #{pupil.pk}"
    assert pupil.surname not in event.object_repr
