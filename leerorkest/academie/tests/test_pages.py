"""The Academie pages: who reads what, the organiser's pages, the workshop form, query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerorkest.academie.models import AcademieWorkshop, Registration, RegistrationStatus
from leerorkest.academie.tests.builders import make_registration, make_workshop
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.testing import make_member, make_organisation

S = RegistrationStatus


def test_teachers_and_coordinators_read_the_list_others_do_not(client, personas):
    """Readers: teacher and coordinator roles, because the Academie trains the people who teach
    (coordinators often teach too and send their teachers). Depot staff and school contacts get
    a 403: nothing there is for them."""
    workshop = make_workshop(personas.organisation, title="Orkestspel voor beginners")
    url = reverse("academie:workshop_list")
    for user in (personas.member, personas.owner):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert workshop.title in response.content.decode()
    depot = make_organisation(kind=OrgKind.DEPOT)
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    for user in (make_member(depot, Role.DEPOT_STAFF), make_member(school, Role.SCHOOL_CONTACT)):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_other_programmes_see_only_workshops_opened_to_all(client, personas):
    own = make_workshop(personas.organisation, title="Alleen voor Oost")
    shared = make_workshop(
        personas.organisation, title="Landelijke dag", open_to_all_programmes=True
    )
    client.force_login(personas.outsider)
    html = client.get(reverse("academie:workshop_list")).content.decode()
    assert shared.title in html and own.title not in html
    assert client.get(reverse("academie:workshop", args=[own.pk])).status_code == 404
    assert client.get(reverse("academie:workshop", args=[shared.pk])).status_code == 200


def test_register_and_cancel_from_the_workshop_page(client, personas):
    workshop = make_workshop(personas.organisation, capacity=1)
    client.force_login(personas.member)
    page = reverse("academie:workshop", args=[workshop.pk])
    assert "Register" in client.get(page).content.decode()
    response = client.post(reverse("academie:register", args=[workshop.pk]), follow=True)
    assert "You are registered" in response.content.decode()
    assert "Cancel my registration" in response.content.decode()
    response = client.post(reverse("academie:unregister", args=[workshop.pk]), follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    assert Registration.objects.get().status == S.CANCELLED


def test_a_full_workshop_offers_the_waiting_list_and_shows_the_position(client, personas):
    workshop = make_workshop(personas.organisation, capacity=1)
    make_registration(workshop, personas.owner)
    client.force_login(personas.member)
    assert (
        "Join the waiting list"
        in client.get(reverse("academie:workshop", args=[workshop.pk])).content.decode()
    )
    response = client.post(reverse("academie:register", args=[workshop.pk]), follow=True)
    html = response.content.decode()
    assert "you are on the waiting list" in html
    assert "You are number 1 on the waiting list" in html


def test_list_shows_free_places_and_waiting_in_constant_queries(
    client, personas, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            workshop = make_workshop(personas.organisation, capacity=1)
            make_registration(workshop, make_member(personas.organisation, Role.TEACHER))
            make_registration(workshop, make_member(personas.organisation, Role.TEACHER), S.WAITING)
            make_registration(workshop, personas.member, S.WAITING)

    client.force_login(personas.member)
    url = reverse("academie:workshop_list")
    add(2)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(8)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("Full") == 10
    assert html.count("2 on the waiting list") == 10
    assert html.count("You are on the waiting list") == 10


def test_past_and_cancelled_workshops_are_not_in_the_list(client, personas):
    make_workshop(personas.organisation, days=-2, title="Was vorige week")
    make_workshop(personas.organisation, status="cancelled", title="Gaat niet door")
    client.force_login(personas.member)
    html = client.get(reverse("academie:workshop_list")).content.decode()
    assert "Was vorige week" not in html and "Gaat niet door" not in html


ORGANISER_PAGES = ["participants", "workshop_edit", "workshop_cancel"]


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_teacher_403_outsider_404(client, personas, name):
    workshop = make_workshop(personas.organisation, open_to_all_programmes=True)
    url = reverse(f"academie:{name}", args=[workshop.pk])
    method = "post" if name == "workshop_cancel" else "get"
    client.force_login(personas.member)
    assert getattr(client, method)(url).status_code == 403
    client.force_login(personas.outsider)  # coordinates another programme
    assert getattr(client, method)(url).status_code == 404
    client.force_login(personas.owner)
    assert getattr(client, method)(url).status_code in (200, 302)
    AcademieWorkshop.objects.filter(pk=workshop.pk).update(status="open")


def test_teacher_cannot_open_the_organiser_list_or_create(client, personas):
    client.force_login(personas.member)
    assert client.get(reverse("academie:organiser_list")).status_code == 403
    assert client.get(reverse("academie:workshop_create")).status_code == 403


def test_participants_show_the_waiting_list_in_order(client, personas):
    workshop = make_workshop(personas.organisation, capacity=1)
    make_registration(
        workshop, make_member(personas.organisation, Role.TEACHER, full_name="Ann Plaats")
    )
    make_registration(
        workshop, make_member(personas.organisation, Role.TEACHER, full_name="Bo Eerst"), S.WAITING
    )
    make_registration(
        workshop, make_member(personas.organisation, Role.TEACHER, full_name="Cas Later"), S.WAITING
    )
    client.force_login(personas.owner)
    html = client.get(reverse("academie:participants", args=[workshop.pk])).content.decode()
    assert "Ann Plaats" in html
    assert html.index("Bo Eerst") < html.index("Cas Later")
    assert "Cancel workshop" in html


def form_data(**overrides):
    data = {
        "title": "Ritme in de groepsles",
        "description": "Bodypercussie en pulsspelletjes.",
        "place": "Muziekcentrum Zuidoost",
        "starts_at": "2031-03-12T09:30",
        "ends_at": "2031-03-12T12:30",
        "capacity": "16",
        "hours": "3",
        "status": "open",
    }
    return {**data, **overrides}


def test_create_a_workshop(client, personas):
    client.force_login(personas.owner)
    response = client.post(reverse("academie:workshop_create"), form_data())
    workshop = AcademieWorkshop.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("academie:participants", args=[workshop.pk])
    assert (workshop.organisation, workshop.created_by, workshop.hours) == (
        personas.organisation,
        personas.owner,
        Decimal("3"),
    )
    assert not workshop.open_to_all_programmes


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2031-03-12T08:00"}, "ends_at"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"hours": "-1"}, "hours"),
        ({"title": "   "}, "title"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"status": "cancelled"}, "status"),
    ],
)
def test_bad_input_is_400_with_the_message_and_nothing_saved(client, personas, overrides, field):
    client.force_login(personas.owner)
    response = client.post(reverse("academie:workshop_create"), form_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not AcademieWorkshop.objects.exists()


def test_edit_refuses_fewer_places_than_people_registered(client, personas):
    workshop = make_workshop(personas.organisation, capacity=3)
    for _ in range(2):
        make_registration(workshop, make_member(personas.organisation, Role.TEACHER))
    client.force_login(personas.owner)
    response = client.post(
        reverse("academie:workshop_edit", args=[workshop.pk]), form_data(capacity="1")
    )
    assert response.status_code == 400
    assert "2 people are registered already" in str(response.context["form"].errors["capacity"])
    workshop.refresh_from_db()
    assert workshop.capacity == 3 and workshop.title != "Ritme in de groepsles"


def test_my_academie_lists_registrations_and_certificates(client, personas):
    coming = make_workshop(personas.organisation, title="Komt nog")
    done = make_workshop(personas.organisation, days=-30, title="Al geweest", hours=Decimal("2.5"))
    make_registration(coming, personas.member, S.WAITING)
    attended = make_registration(done, personas.member, S.ATTENDED)
    client.force_login(personas.member)
    html = client.get(reverse("academie:mine")).content.decode()
    assert "Komt nog" in html and "Al geweest" in html
    assert reverse("academie:certificate", args=[attended.pk]) in html
    assert "2.5 hours of Academie training attended" in html
