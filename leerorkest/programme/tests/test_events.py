"""Events: list order and filters, forms, the logistics checklist, and the organiser's list of
children without photo/video consent."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import EnsembleMember, Event, EventTask
from leerorkest.schools.models import Consent, SchoolYear
from leerorkest.testing import make_member, make_organisation
from tests.access_partners import build_event, build_partner
from tests.access_teachers import build_ensemble

LIST = reverse("programme:event_list")


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English texts; the Dutch ones are checked by the catalogue test."""
    from django.utils import translation

    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def titles(response):
    return [e.title for e in response.context["page"]]


def local(days: int, hour: int = 19) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def event_data(**overrides):
    data = {
        "title": "Kerstconcert",
        "kind": "concert",
        "venue": "Muziekgebouw",
        "starts_at": local(10, 19),
        "ends_at": local(10, 21),
        "notes": "",
    }
    data.update(overrides)
    return data


# --- Planning -----------------------------------------------------------------------------------


def test_a_new_event_gets_its_ensembles_and_the_default_checklist(client, personas):
    orchestra = build_ensemble(personas.organisation, name="Wijktalentorkest Oost")
    partner = build_partner(personas.organisation)
    client.force_login(personas.owner)
    assert client.get(reverse("programme:event_create")).status_code == 200
    response = client.post(
        reverse("programme:event_create"),
        event_data(ensembles=[orchestra.pk], partner=partner.pk),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.organisation == personas.organisation and event.partner == partner
    assert list(event.ensembles.all()) == [orchestra]
    assert event.tasks.count() == 5
    assert [t.position for t in event.tasks.all()] == [1, 2, 3, 4, 5]
    assert not event.tasks.filter(done=True).exists()
    assert AuditEvent.objects.filter(action="event.create", object_id=str(event.pk)).exists()
    page = client.get(reverse("programme:event_detail", args=[event.pk])).content.decode()
    assert "Wijktalentorkest Oost" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"venue": ""}, "venue"),
        ({"kind": "party"}, "kind"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"ends_at": local(10, 18)}, "ends_at"),  # ends before it starts
        ({"ends_at": local(10, 19)}, "ends_at"),  # ends when it starts
    ],
)
def test_bad_event_input_is_refused_next_to_the_field(client, personas, overrides, field):
    client.force_login(personas.owner)
    response = client.post(reverse("programme:event_create"), event_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Event.objects.exists() and not EventTask.objects.exists()


def test_ensembles_and_partners_of_other_programmes_or_years_are_refused(client, personas):
    elsewhere = build_ensemble(personas.other, name="Niet van ons")
    their_partner = build_partner(personas.other)
    last_year = SchoolYear.for_start_year(SchoolYear.objects.current().starts_on.year - 1)
    old = build_ensemble(personas.organisation, name="Vorig jaar", year=last_year)
    client.force_login(personas.owner)
    url = reverse("programme:event_create")
    response = client.post(url, event_data(ensembles=[elsewhere.pk], partner=their_partner.pk))
    assert {"ensembles", "partner"} <= set(response.context["form"].errors)
    # An ensemble of another school year cannot take part (an event being edited shows it).
    event = build_event(personas.organisation, by=personas.owner)
    event.ensembles.add(old)
    response = client.post(
        reverse("programme:event_edit", args=[event.pk]), event_data(ensembles=[old.pk])
    )
    assert response.status_code == 400
    assert "ensembles" in response.context["form"].errors
    assert Event.objects.count() == 1


def test_editing_keeps_the_checklist(client, personas):
    event = build_event(personas.organisation, by=personas.owner)
    task = event.tasks.first()
    task.done = True
    task.save()
    client.force_login(personas.owner)
    response = client.post(
        reverse("programme:event_edit", args=[event.pk]), event_data(title="Zomerconcert")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Zomerconcert"
    assert event.tasks.count() == 5 and event.tasks.get(pk=task.pk).done


# --- The list -----------------------------------------------------------------------------------


def test_list_shows_upcoming_first_and_filters_by_kind_and_period(client, personas):
    programme = personas.organisation
    build_event(programme, by=personas.owner, title="Over een week", days=7)
    build_event(programme, by=personas.owner, title="Morgen", days=1)
    build_event(programme, by=personas.owner, title="Over twee maanden", days=60)
    build_event(programme, by=personas.owner, title="Vorige week", days=-7)
    build_event(programme, by=personas.owner, title="Vorige maand", days=-30)
    rehearsal = build_event(programme, by=personas.owner, title="Repetitie", days=3)
    rehearsal.kind = Event.Kind.REHEARSAL
    rehearsal.save()
    build_event(personas.other, by=personas.outsider, title="Elders", days=2)
    client.force_login(personas.owner)
    assert titles(client.get(LIST)) == ["Morgen", "Repetitie", "Over een week", "Over twee maanden"]
    assert titles(client.get(LIST, {"period": "30d"})) == ["Morgen", "Repetitie", "Over een week"]
    assert titles(client.get(LIST, {"period": "past"})) == ["Vorige week", "Vorige maand"]
    assert titles(client.get(LIST, {"period": "all"})) == [
        "Morgen",
        "Repetitie",
        "Over een week",
        "Over twee maanden",
        "Vorige week",
        "Vorige maand",
    ]
    assert titles(client.get(LIST, {"kind": "rehearsal", "period": "all"})) == ["Repetitie"]
    assert titles(client.get(LIST, {"q": "maand", "period": "all"})) == [
        "Over twee maanden",
        "Vorige maand",
    ]
    assert client.get(LIST, {"period": "x", "kind": "x"}).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_list_queries_do_not_grow(client, personas, count, django_assert_max_num_queries):
    orchestra = build_ensemble(personas.organisation, players=1)
    for n in range(count):
        build_event(personas.organisation, by=personas.owner, ensembles=[orchestra], days=n + 1)
    client.force_login(personas.owner)
    with django_assert_max_num_queries(13):
        response = client.get(LIST)
    assert len(response.context["page"]) == count
    assert {(e.tasks_done, e.task_count) for e in response.context["page"]} == {(0, 5)}


# --- The checklist ------------------------------------------------------------------------------


def test_ticking_off_works_with_and_without_htmx(client, personas):
    event = build_event(personas.organisation, by=personas.owner)
    task = event.tasks.get(position=1)
    url = reverse("programme:event_task_toggle", args=[task.pk])
    client.force_login(personas.owner)
    # Without JavaScript: a form post, back to the event page.
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("programme:event_detail", args=[event.pk])
    task.refresh_from_db()
    assert task.done
    # The same post again (double click) leaves it ticked.
    client.post(url, {"done": "1"})
    task.refresh_from_db()
    assert task.done
    # With htmx: the checklist alone comes back, showing the new state.
    response = client.post(url, {"done": "0"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="checklist"' in html and "<h1>" not in html
    task.refresh_from_db()
    assert not task.done
    assert 'aria-pressed="false"' in html and 'aria-pressed="true"' not in html
    assert AuditEvent.objects.filter(action="event.task_done").count() == 2


def test_tasks_are_added_and_removed(client, personas):
    event = build_event(personas.organisation, by=personas.owner)
    client.force_login(personas.owner)
    add = reverse("programme:event_task_add", args=[event.pk])
    response = client.post(add, {"label": "  "}, headers={"HX-Request": "true"})
    assert "error" in response.content.decode()
    assert event.tasks.count() == 5
    response = client.post(add, {"label": ""})
    assert response.status_code == 200 and response.context["task_form"].errors
    client.post(add, {"label": "Bus voor de kinderen"}, headers={"HX-Request": "true"})
    added = event.tasks.get(label="Bus voor de kinderen")
    assert added.position == 6
    client.post(reverse("programme:event_task_remove", args=[added.pk]))
    assert event.tasks.count() == 5


# --- Children without photo/video consent ------------------------------------------------------


def consent(pupil, given: bool, by, days_ago: int = 0):
    return Consent.objects.create(
        pupil=pupil,
        purpose="photo_video",
        given=given,
        given_by="Ouder",
        source=Consent.Source.PAPER,
        decided_on=date(2026, 9, 1),
        recorded_by=by,
        recorded_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_organiser_sees_children_without_photo_consent(client, personas):
    programme = personas.organisation
    orchestra = build_ensemble(programme, name="Wijktalentorkest Oost", players=3)
    other = build_ensemble(programme, name="Niet op het concert", players=2)
    event = build_event(programme, by=personas.owner, ensembles=[orchestra])
    playing = [m.pupil for m in orchestra.members.filter(status="active").order_by("pk")]
    left = orchestra.members.get(status=EnsembleMember.Status.LEFT).pupil
    given, withdrawn, never = playing
    consent(given, True, personas.owner)
    consent(withdrawn, True, personas.owner, days_ago=10)
    consent(withdrawn, False, personas.owner, days_ago=1)
    url = reverse("programme:event_no_consent", args=[event.pk])
    client.force_login(personas.owner)
    response = client.get(url)
    listed = {row.pk for row in response.context["children"]}
    assert listed == {withdrawn.pk, never.pk}
    html = response.content.decode()
    assert never.full_name in html and given.full_name not in html and left.full_name not in html
    placement = never.placements.get()
    assert placement.school_class.name in html and "Wijktalentorkest Oost" in html
    for member in other.members.all():
        assert member.pupil.full_name not in html
    # Opening the list is a recorded pupil read.
    row = AuditEvent.objects.get(action="pupil.list_no_photo_consent")
    assert set(row.details["pupil_ids"]) == listed and row.actor == personas.owner

    # Consent given again: off the list; withdrawn again: back on it.
    consent(withdrawn, True, personas.owner)
    assert {r.pk for r in client.get(url).context["children"]} == {never.pk}
    consent(withdrawn, False, personas.owner)
    assert {r.pk for r in client.get(url).context["children"]} == {withdrawn.pk, never.pk}


@pytest.mark.parametrize("count", [3, 40])
def test_no_consent_list_queries_do_not_grow(
    client, personas, count, django_assert_max_num_queries
):
    orchestra = build_ensemble(personas.organisation, players=count)
    event = build_event(personas.organisation, by=personas.owner, ensembles=[orchestra])
    client.force_login(personas.owner)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("programme:event_no_consent", args=[event.pk]))
    assert len(response.context["children"]) == count


# --- Who may see events -------------------------------------------------------------------------


def test_only_the_programmes_coordinators_see_events(client, personas):
    orchestra = build_ensemble(personas.organisation, players=2)
    event = build_event(personas.organisation, by=personas.owner, ensembles=[orchestra])
    school = make_organisation(kind=OrgKind.SCHOOL, parent=personas.organisation)
    contact = make_member(school, Role.SCHOOL_CONTACT)
    urls = [
        reverse("programme:event_detail", args=[event.pk]),
        reverse("programme:event_no_consent", args=[event.pk]),
    ]
    for user in (personas.member, contact):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert all(client.get(url).status_code == 403 for url in urls)
    client.force_login(personas.outsider)
    assert event.title not in client.get(LIST).content.decode()
    assert all(client.get(url).status_code == 404 for url in urls)
    task = event.tasks.first()
    response = client.post(reverse("programme:event_task_toggle", args=[task.pk]), {"done": "1"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert not task.done
    assert not AuditEvent.objects.filter(action__startswith="pupil.").exists()
