"""Reach and continuity counted on a small world whose answers are known child by child."""

import pytest
from django.urls import reverse

from leerorkest.accounts.roles import Role
from leerorkest.reports.continuity import continuity
from leerorkest.reports.reach import reach
from leerorkest.reports.scope import LESSONS, Period, Scope, ScopeError, scope_from
from leerorkest.reports.tests.builders import build_world
from leerorkest.testing import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def rows(result, name):
    return {row.label: row.children for row in result.breakdown(name).rows}


def test_reach_counts_each_child_once_per_table(world):
    result = reach(Scope((world.programme,)), Period.of_year(world.now))
    # 6 in lessons, 3 in the school orchestra, 1 in the talent orchestra; the waiting child
    # and the other programme's 7 do not count.
    assert result.total == 10
    assert rows(result, "district") == {"Zuidoost": 6, "Noord": 3, "—": 1}
    assert rows(result, "kind") == {
        "Instrument lessons": 6,
        "School orchestra": 3,
        "Neighbourhood talent orchestra": 1,
    }
    assert rows(result, "school") == {"School A": 5, "School B": 1, "School C": 3, "—": 1}
    assert rows(result, "instrument") == {"Violin": 4, "Cello": 1, "Trumpet": 1, "—": 4}
    assert rows(result, "year_group") == {"groep 6": 6, "groep 7": 3, "—": 1}
    # Every table adds up to the total: a child plays in one way per table here.
    for breakdown in result.breakdowns:
        assert sum(r.children for r in breakdown.rows) == result.total, breakdown.name


def test_reach_last_year_in_one_district_and_year_over_year(world):
    scope = Scope((world.programme,), district=world.zuidoost)
    assert reach(scope, Period.of_year(world.last)).total == 9
    # The years up to the period's end, one by one.
    result = reach(scope, Period.of_year(world.now))
    assert result.total == 6
    assert [(row.year, row.children) for row in result.by_year] == [
        (world.last, 9),
        (world.now, 6),
    ]
    assert result.by_year[1].change == -3
    shares = {s.district: (s.taking_part, s.primary_schools) for s in result.school_shares}
    assert shares == {"Zuidoost": (2, 20)}


def test_a_period_across_two_years_counts_a_child_once(world):
    result = reach(
        Scope((world.programme,)), Period.between(world.last.starts_on, world.now.ends_on)
    )
    # 13 last year + 10 this year, of whom 6 played in both years (and one leaver twice).
    assert result.total == 13 + 10 - 6 - 1


def test_only_lessons(world):
    result = reach(Scope((world.programme,), kind=LESSONS), Period.of_year(world.now))
    assert result.total == 6


def test_continuity_of_last_years_groep_5(world):
    result = continuity(Scope((world.programme,)), world.last, 5)
    assert result.cohort == 9
    step = result.next_year
    assert (step.year, step.year_group) == (world.now, 6)
    assert (step.playing, step.in_lessons, step.switched, step.stopped) == (6, 6, 1, 3)
    assert [(s.school, s.children) for s in result.stopped_at] == [("School B", 2), ("School A", 1)]
    assert ("Violin", 6, 4) in result.instruments


def test_groep_8_leavers_move_on_to_the_talent_orchestra(world):
    step = continuity(Scope((world.programme,)), world.last, 8).next_year
    assert (step.playing, step.neighbourhood_orchestra, step.secondary) == (1, 1, 0)


def test_continuity_within_one_school(world):
    scope = Scope((world.programme,), school=world.schools["b"])
    result = continuity(scope, world.last, 5)
    assert (result.cohort, result.next_year.playing) == (3, 1)


def test_a_filter_outside_the_users_programmes_is_refused(world):
    other_school = world.other.children.first().school
    with pytest.raises(ScopeError):
        scope_from({"school": str(other_school.pk)}, [world.programme])
    with pytest.raises(ScopeError):
        scope_from({"programme": str(world.other.pk)}, [world.programme])
    with pytest.raises(ScopeError):
        scope_from({"kind": "chess"}, [world.programme])


def test_reach_page_for_the_coordinator(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:reach"), {"year": world.now.starts_on.year})
    assert response.status_code == 200
    assert response.context["result"].total == 10
    body = response.content.decode()
    assert 'id="reach-total">10<' in body
    # Drill down: the district row narrows the page to that district.
    district_row = next(
        r for r in response.context["result"].breakdown("district").rows if r.label == "Zuidoost"
    )
    response = client.get(reverse("reports:reach") + district_row.url)
    assert response.status_code == 200
    assert response.context["result"].total == 6
    assert response.context["scope"].district == world.zuidoost


def test_reach_page_refuses_another_programmes_school_with_a_reason(client, world):
    client.force_login(world.coordinator)
    other_school = world.other.children.first().school
    response = client.get(reverse("reports:reach"), {"school": other_school.pk})
    assert response.status_code == 400
    assert "Unknown school" in response.content.decode()
    assert response.context["result"].total == 10  # the whole programme, not the other school


def test_continuity_page(client, world):
    client.force_login(world.coordinator)
    response = client.get(
        reverse("reports:continuity"), {"year": world.last.starts_on.year, "groep": "5"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="cohort-size">9<' in body and 'id="still-playing">6<' in body
    assert client.get(reverse("reports:continuity"), {"groep": "12"}).status_code == 400


def test_who_may_see_reports(client, world):
    url = reverse("reports:reach")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_member(world.programme, Role.TEACHER))
    assert client.get(url).status_code == 403
    admin = make_user(is_platform_admin=True)
    client.force_login(admin)
    response = client.get(url, {"year": world.now.starts_on.year})
    assert response.status_code == 200
    assert response.context["result"].total == 10 + 7  # every programme
