"""The size table and the size-up due lists (programme: names; depot: counts only)."""

from datetime import date

import pytest
from django.urls import reverse

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, pupil_loans, sizing
from leerorkest.depot.sizes import SIZES
from leerorkest.depot.tests.builders import make_depot, sized
from leerorkest.testing import make_member, make_organisation, make_pupil

TODAY = date(2026, 10, 1)


def test_every_table_size_exists_and_grows_with_age():
    for code, rows in sizing.AGE_SIZES.items():
        labels = [label for _age, label in rows]
        assert set(labels) <= set(SIZES[code]), code
        assert [SIZES[code].index(label) for label in labels] == sorted(
            SIZES[code].index(label) for label in labels
        )
        ages = [age for age, _label in rows]
        assert ages == sorted(ages)


@pytest.mark.parametrize(
    ("code", "age", "size"),
    [
        ("violin", 6, "1/8"),
        ("violin", 8, "1/2"),
        ("violin", 11, "3/4"),
        ("violin", 16, "4/4"),
        ("cello", 9, "1/2"),
        ("viola", 10, '14"'),
        ("double-bass", 12, "1/2"),
        ("guitar", 9, "3/4"),
        ("flute", 9, None),
    ],
)
def test_suggested_size(code, age, size):
    assert sizing.suggested_size(code, age) == size


def test_age_on():
    assert sizing.age_on(date(2016, 10, 2), TODAY) == 9
    assert sizing.age_on(date(2016, 10, 1), TODAY) == 10


@pytest.fixture
def setting(db):
    depot = make_depot()
    programme = make_organisation(kind=OrgKind.PROGRAMME)

    def lend(label, born, name):
        [violin] = sized(depot, "violin", label)
        loan = actions.checkout_instrument(instrument=violin, borrower=programme, by=None)
        pupil = make_pupil(organisation=programme, given_name=name, date_of_birth=born)
        pupil_loans.lend_to_pupil(
            loan=loan,
            pupil=pupil,
            signed_by="Parent",
            signed_how="paper",
            paper_signed=True,
            by=None,
        )
        return pupil

    outgrown = lend("1/4", date(2016, 3, 1), "Ayla")  # 10: 3/4 suggested
    fits = lend("1/2", date(2018, 3, 1), "Bram")  # 8: 1/2 is right
    also_outgrown = lend("1/4", date(2016, 5, 1), "Cas")
    return depot, programme, outgrown, fits, also_outgrown


def test_size_up_due_for_the_programme(setting):
    _depot, programme, outgrown, _fits, also = setting
    rows = sizing.size_up_due([programme], on=TODAY)
    assert {r["pupil_id"] for r in rows} == {outgrown.pk, also.pk}
    assert {(r["size"], r["suggested"]) for r in rows} == {("1/4", "3/4")}


def test_size_up_counts_for_the_depot_have_no_children(setting):
    depot, *_ = setting
    rows = sizing.size_up_counts(depot=depot, on=TODAY)
    assert rows == [
        {"instrument": rows[0]["instrument"], "size": "1/4", "suggested": "3/4", "count": 2}
    ]
    assert sizing.size_up_counts(depot=make_depot(), on=TODAY) == []


def test_size_up_pages(client, setting):
    depot, programme, *_children = setting
    client.force_login(make_member(programme, Role.COORDINATOR))
    page = client.get(reverse("depot:portal_size_up"))
    html = page.content.decode()
    assert "Ayla" in html and "Cas" in html and "Bram" not in html
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    page = client.get(reverse("depot:size_up_counts"))
    html = page.content.decode()
    assert page.context["rows"][0]["count"] == 2
    assert "Ayla" not in html and "Cas" not in html
