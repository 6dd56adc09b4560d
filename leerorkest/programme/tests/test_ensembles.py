"""Ensembles: waiting lists, leavers invited to the secondary follow-up, school orchestras."""

import pytest
from django.urls import reverse

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.programme import actions_ensembles as actions
from leerorkest.programme.models import Ensemble, EnsembleKind, EnsembleMember, Sectional
from leerorkest.schools.tests.builders import build_world
from leerorkest.testing import instrument, make_pupil

Status = EnsembleMember.Status


@pytest.fixture
def world(personas):
    return build_world(personas)


def talent_orchestra(personas, world, capacity=2):
    return Ensemble.objects.create(
        organisation=personas.organisation,
        kind=EnsembleKind.NEIGHBOURHOOD_ORCHESTRA,
        name="Wijktalentorkest Oost",
        school_year=world.year,
        capacity=capacity,
    )


def test_full_orchestra_puts_children_on_the_waiting_list(personas, world):
    wto = talent_orchestra(personas, world)
    a, b, c, d = (actions.enrol(ensemble=wto, pupil=p, by=personas.owner) for p in world.pupils[:4])
    assert [m.status for m in (a, b, c, d)] == [
        Status.ACTIVE,
        Status.ACTIVE,
        Status.WAITING,
        Status.WAITING,
    ]
    # The longest waiting moves up when a player stops.
    promoted = actions.leave(member=a, by=personas.owner)
    assert promoted.pk == c.pk
    assert wto.members.filter(status=Status.ACTIVE).count() == 2
    # A child on the waiting list stopping frees no place.
    assert actions.leave(member=d, by=personas.owner) is None
    with pytest.raises(DomainError):
        actions.enrol(ensemble=wto, pupil=world.pupils[1], by=personas.owner)


def test_secondary_pupils_join_as_seniors(personas, world):
    wto = talent_orchestra(personas, world, capacity=None)
    senior = make_pupil(
        organisation=personas.organisation,
        left_on=world.year.starts_on,
        secondary_school="SG Reigersbos",
    )
    assert actions.enrol(ensemble=wto, pupil=senior, by=personas.owner).is_senior


def test_pupils_of_another_programme_are_refused(personas, world):
    wto = talent_orchestra(personas, world)
    stranger = make_pupil(organisation=personas.other)
    with pytest.raises(DomainError):
        actions.enrol(ensemble=wto, pupil=stranger, by=personas.owner)


def test_groep_8_leavers_are_invited_once(personas, world):
    follow_up = Ensemble.objects.create(
        organisation=personas.organisation,
        kind=EnsembleKind.SECONDARY,
        name="SuperSymphonics",
        school_year=world.year.next(),
        capacity=1,
    )
    assert actions.invite_leavers(ensemble=follow_up, from_year=world.year, by=personas.owner) == 3
    assert actions.invite_leavers(ensemble=follow_up, from_year=world.year, by=personas.owner) == 0
    first, second, third = follow_up.members.order_by("pk")
    actions.respond_to_invitation(member=first, accept=True, by=personas.owner)
    actions.respond_to_invitation(member=second, accept=True, by=personas.owner)
    actions.respond_to_invitation(member=third, accept=False, by=personas.owner)
    statuses = list(follow_up.members.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.ACTIVE, Status.WAITING, Status.LEFT]
    talent = talent_orchestra(personas, world)
    with pytest.raises(DomainError):
        actions.invite_leavers(ensemble=talent, from_year=world.year, by=personas.owner)


def test_school_orchestras_are_formed_from_the_lesson_groups(personas, world):
    orchestras = actions.form_school_orchestras(
        school=world.school, school_year=world.year, by=personas.owner
    )
    assert sorted(o.year_group for o in orchestras) == [5, 6, 7, 8]
    groep6 = next(o for o in orchestras if o.year_group == 6)
    assert list(groep6.members.values_list("pupil_id", flat=True)) == [world.pupils[3].pk]
    # Again: nothing doubles.
    actions.form_school_orchestras(school=world.school, school_year=world.year, by=personas.owner)
    assert Ensemble.objects.filter(school=world.school).count() == 4
    assert EnsembleMember.objects.count() == 1


def test_pages_enrol_and_show_the_waiting_list(client, personas, world):
    wto = talent_orchestra(personas, world, capacity=1)
    client.force_login(personas.owner)
    url = reverse("programme:ensemble_enrol", args=[wto.pk])
    for pupil in world.pupils[:2]:
        assert client.post(url, {"pupil": pupil.pk}).status_code == 302
    page = client.get(
        reverse("programme:ensemble_detail", args=[wto.pk]), {"q": world.pupils[5].surname}
    )
    assert [m.pupil for m in page.context["groups"][Status.WAITING]] == [world.pupils[1]]
    assert [p.pk for p in page.context["candidates"]] == [world.pupils[5].pk]
    assert AuditEvent.objects.filter(action="ensemble.view").count() == 1
    listing = client.get(reverse("programme:ensemble_list"), {"year": 2026})
    [row] = listing.context["page"]
    assert (row.playing, row.waiting) == (1, 1)


def test_teachers_and_school_contacts_have_no_ensemble_pages(client, personas, world):
    wto = talent_orchestra(personas, world)
    for user in (personas.member, world.contact):
        client.force_login(user)
        assert client.get(reverse("programme:ensemble_list")).status_code == 403
        assert client.get(reverse("programme:ensemble_detail", args=[wto.pk])).status_code == 403


def test_a_coordinator_adds_changes_and_removes_a_sectional(client, personas, world):
    actions.form_school_orchestras(school=world.school, school_year=world.year, by=personas.owner)
    orchestra = Ensemble.objects.get(school=world.school, year_group=6)
    client.force_login(personas.owner)
    add = reverse("programme:sectional_add", args=[orchestra.pk])
    assert client.get(add).status_code == 200
    violin, cello = instrument("violin"), instrument("cello")
    response = client.post(
        add,
        {"name": "  Strijkers ", "instruments": [violin.pk, cello.pk], "led_by": violin.pk,
         "minutes": "30"},
    )  # fmt: skip
    assert response.status_code == 302
    sectional = Sectional.objects.get(ensemble=orchestra)
    assert sectional.name == "Strijkers"
    assert set(sectional.instruments.all()) == {violin, cello}
    # The violinist of groep 6 plays in the orchestra, so in the strings sectional.
    assert [m.pupil for m in sectional.players()] == [world.pupils[3]]
    page = client.get(reverse("programme:ensemble_detail", args=[orchestra.pk]))
    [listed] = page.context["sectionals"]
    assert listed.player_count == 1
    assert AuditEvent.objects.filter(action="sectional.create").exists()

    edit = reverse("programme:sectional_edit", args=[sectional.pk])
    response = client.post(
        edit, {"name": "Strijkers", "instruments": [cello.pk], "led_by": cello.pk, "minutes": 45}
    )
    assert response.status_code == 302
    sectional.refresh_from_db()
    assert (sectional.minutes, sectional.led_by) == (45, cello)
    assert not sectional.players().exists()

    assert (
        client.post(reverse("programme:sectional_delete", args=[sectional.pk])).status_code == 302
    )
    assert not Sectional.objects.exists()
    assert AuditEvent.objects.filter(action="sectional.delete").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"minutes": "10"}, "minutes"),
        ({"minutes": "120"}, "minutes"),
        ({"minutes": "half an hour"}, "minutes"),
        ({"instruments": []}, "instruments"),
        ({"led_by": ""}, "led_by"),
        ({"name": ""}, "name"),
        ({"name": "strijkers"}, "name"),  # the name is taken, whatever the case
    ],
)
def test_bad_sectional_input_is_refused_next_to_the_field(
    client, personas, world, overrides, field
):
    actions.form_school_orchestras(school=world.school, school_year=world.year, by=personas.owner)
    orchestra = Ensemble.objects.get(school=world.school, year_group=6)
    violin = instrument("violin")
    Sectional.objects.create(ensemble=orchestra, name="Strijkers", led_by=violin)
    client.force_login(personas.owner)
    data = {"name": "Koperblazers", "instruments": [violin.pk], "led_by": violin.pk, "minutes": 30}
    data.update(overrides)
    response = client.post(reverse("programme:sectional_add", args=[orchestra.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Sectional.objects.count() == 1


def test_only_school_orchestras_have_sectionals(client, personas, world):
    wto = talent_orchestra(personas, world)
    client.force_login(personas.owner)
    assert client.get(reverse("programme:sectional_add", args=[wto.pk])).status_code == 404
    page = client.get(reverse("programme:ensemble_detail", args=[wto.pk])).content.decode()
    assert "Add a sectional" not in page and "Groepsrepetitie toevoegen" not in page
