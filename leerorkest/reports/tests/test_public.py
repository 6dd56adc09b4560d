"""The public figures page: off by default, then the headline figures of every active programme,
suppressed below five, naming no child, counted at most every ten minutes and cacheable."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.roles import OrgKind
from leerorkest.depot.models import Loan
from leerorkest.depot.tests.builders import lent, make_depot
from leerorkest.programme.models import EnsembleMember, LessonGroup, LessonGroupMember
from leerorkest.reports.facts import PLAYED
from leerorkest.reports.tests.builders import build_world
from leerorkest.schools.models import Pupil, SchoolParticipation
from leerorkest.testing import instrument, make_class, make_organisation, make_pupil, make_school

pytestmark = pytest.mark.django_db

URLS = ("reports:public_figures", "reports:public_figures_json")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(settings):
    settings.PUBLIC_FIGURES = True
    world = build_world()
    # A programme that stopped: its children are not counted.
    closed = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Gestopt", is_active=False)
    school = make_school(closed, name="School Gestopt")
    group = LessonGroup.objects.create(
        organisation=closed,
        school=school,
        school_year=world.now,
        year_group=5,
        instrument=instrument("violin"),
        name="Viool gestopt",
        max_size=8,
    )
    school_class = make_class(school, year_group=5, school_year=world.now)
    for _ in range(6):
        LessonGroupMember.objects.create(group=group, pupil=make_pupil(school_class))
    # The depot: six instruments out now with the programme, two with the other programme since
    # more than a year, and one that was out a year ago but has come back.
    depot = make_depot()
    lent(depot, world.programme, 6)
    old = lent(depot, world.other, 3)
    long_ago = timezone.now() - timedelta(days=400)
    Loan.objects.filter(pk__in=[loan.pk for loan in old]).update(out_at=long_ago)
    Loan.objects.filter(pk=old[2].pk).update(returned_at=timezone.now() - timedelta(days=30))
    world.closed = closed
    return world


def children_in(year, programmes) -> int:
    """Counted straight from the tables, independently of reports.facts."""
    lessons = LessonGroupMember.objects.filter(
        school_year=year, group__organisation__in=programmes
    ).values_list("pupil_id", flat=True)
    ensembles = EnsembleMember.objects.filter(
        ensemble__school_year=year, ensemble__organisation__in=programmes, status__in=PLAYED
    ).values_list("pupil_id", flat=True)
    return len(set(lessons) | set(ensembles))


@pytest.mark.parametrize("name", URLS)
def test_off_by_default_answers_404(client, settings, name):
    settings.PUBLIC_FIGURES = False
    build_world()
    response = client.get(reverse(name))
    assert response.status_code == 404


def test_figures_equal_direct_counts_and_small_ones_are_hidden(client, world):
    data = client.get(reverse("reports:public_figures_json")).json()
    current, previous = data["current"], data["previous"]
    assert (current["school_year"], previous["school_year"]) == (str(world.now), str(world.last))
    active = [world.programme, world.other]
    # This year: the programme's 10 and the other programme's 7; the closed one's 6 do not count.
    assert current["children_reached"] == children_in(world.now, active) == 17
    assert previous["children_reached"] == children_in(world.last, active) == 13
    assert children_in(world.now, [*active, world.closed]) == 23
    # Three schools take part each year (the other programme's school has no participation):
    # fewer than five, so hidden.
    assert SchoolParticipation.objects.filter(school_year=world.now).count() == 3
    assert (current["schools"], previous["schools"]) == ("<5", "<5")
    # Eight instruments out now, with two programmes (hidden); a year ago three with one.
    assert Loan.objects.open().count() == 8
    assert (current["instruments_on_loan"], current["programmes_served"]) == (8, "<5")
    assert (previous["instruments_on_loan"], previous["programmes_served"]) == ("<5", "<5")
    assert current["loans_counted_on"] == timezone.localdate().isoformat()


def test_page_shows_the_figures_and_names_no_child(client, world):
    response = client.get(reverse("reports:public_figures"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="public-figures"' in body
    assert ">17<" in body and ">13<" in body and "&lt;5" in body
    assert "children reached" in body
    assert str(world.now) in body and str(world.last) in body
    assert "csrfmiddlewaretoken" not in body
    json_body = client.get(reverse("reports:public_figures_json")).content.decode()
    names = Pupil.objects.values_list("given_name", "surname")
    assert names.count() > 20
    for given, surname in names:
        for text in (body, json_body):
            assert given not in text and surname not in text


@pytest.mark.parametrize("name", URLS)
def test_anonymous_answers_are_cacheable_and_counted_once(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=600" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    # Within ten minutes the figures are not counted again, even when the data changes.
    lent(Loan.objects.first().lender, world.programme, 5)
    counted = client.get(reverse("reports:public_figures_json")).json()
    assert counted["current"]["instruments_on_loan"] == 8
    cache.clear()
    assert (
        client.get(reverse("reports:public_figures_json")).json()["current"]["instruments_on_loan"]
        == 13
    )


def test_json_may_be_fetched_by_the_foundations_website(client, world):
    response = client.get(reverse("reports:public_figures_json"))
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_signed_in_answers_stay_private(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:public_figures"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
