"""Request and allocation pages: who sees what, what the forms keep and what the buttons do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leerorkest.accounts.roles import Role
from leerorkest.allocation.models import AllocationRun, InstrumentRequest, RequestStatus
from leerorkest.allocation.tests.builders import (
    add_stock,
    confirmed_request,
    line,
    make_depot,
    make_location,
    make_request,
    size,
)
from leerorkest.depot.models import InstrumentStatus
from leerorkest.testing import instrument, make_member, make_school


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def depot(personas):
    found = make_depot()
    found.staff = make_member(found, Role.DEPOT_STAFF)
    return found


def _form_data(p, depot, **lines):
    data = {
        "school_year": "",
        "needed_by": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "school": "",
        "depot": depot.pk,
        "note": "Voor groep 5",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "60",
    }
    data.update(lines)
    return data


def test_programme_lists_only_its_own_requests(client, personas, depot):
    mine = make_request(personas.organisation, depot, [line("flute", None, 2)])
    theirs = make_request(personas.other, depot, [line("flute", None, 3)])
    client.force_login(personas.owner)
    response = client.get(reverse("allocation:request_list"))
    assert response.status_code == 200
    assert list(response.context["requests"]) == [mine]
    assert client.get(reverse("allocation:request_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("allocation:request_withdraw", args=[theirs.pk])).status_code == 404


def test_a_teacher_has_no_request_pages(client, personas, depot):
    client.force_login(personas.member)
    assert client.get(reverse("allocation:request_list")).status_code == 403


def test_create_a_request_with_several_lines(client, personas, depot):
    school = make_school(personas.organisation, name="De Regenboog")
    client.force_login(personas.owner)
    page = client.get(reverse("allocation:request_create"))
    assert page.status_code == 200
    assert "De Regenboog" in page.content.decode()
    violin_half = size("violin", "1/2")
    data = _form_data(
        personas,
        depot,
        **{
            "lines-0-instrument_type": instrument("violin").pk,
            "lines-0-size": violin_half.pk,
            "lines-0-quantity": "12",
            "lines-0-allow_one_size_up": "on",
            "lines-1-instrument_type": instrument("cello").pk,
            "lines-1-size": size("cello", "1/4").pk,
            "lines-1-quantity": "4",
        },
    )
    data["school_year"] = page.context["form"].initial["school_year"]
    data["school"] = school.pk
    response = client.post(reverse("allocation:request_create"), {**data, "submit": "1"})
    created = InstrumentRequest.objects.get()
    assert response.status_code == 302
    assert created.status == RequestStatus.SUBMITTED
    assert created.borrower == personas.organisation and created.school == school
    assert [(ln.quantity, ln.allow_one_size_up) for ln in created.lines.order_by("pk")] == [
        (12, True),
        (4, False),
    ]


def test_form_errors_keep_what_was_typed(client, personas, depot):
    client.cookies["leerorkest_language"] = "en"  # the messages below are the English ones
    client.force_login(personas.owner)
    page = client.get(reverse("allocation:request_create"))
    data = _form_data(
        personas,
        depot,
        **{
            "lines-0-instrument_type": instrument("violin").pk,
            "lines-0-quantity": "7",  # no size: refused
            "lines-1-instrument_type": instrument("flute").pk,
            "lines-1-quantity": "501",  # too many
        },
    )
    data["school_year"] = page.context["form"].initial["school_year"]
    response = client.post(reverse("allocation:request_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a size." in html
    assert 'value="7"' in html and 'value="501"' in html
    assert 'value="Voor groep 5"' in html or "Voor groep 5" in html
    assert not InstrumentRequest.objects.exists()


def test_edit_a_draft_then_submit(client, personas, depot):
    draft = make_request(personas.organisation, depot, [line("flute", None, 2)], submit=False)
    client.force_login(personas.owner)
    page = client.get(reverse("allocation:request_edit", args=[draft.pk]))
    assert page.status_code == 200
    assert page.context["formset"].forms[0].initial["quantity"] == 2
    response = client.post(reverse("allocation:request_submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED
    # No longer a draft: the edit page sends back.
    assert client.get(reverse("allocation:request_edit", args=[draft.pk])).status_code == 302


def test_programme_sees_what_was_reserved_and_withdraws(client, personas, depot):
    request, _run = confirmed_request(personas.organisation, depot, by=depot.staff, n=2)
    client.force_login(personas.owner)
    page = client.get(reverse("allocation:request_detail", args=[request.pk]))
    assert page.status_code == 200
    assert len(page.context["held"]) == 2
    response = client.post(reverse("allocation:request_withdraw", args=[request.pk]))
    assert response.status_code == 302
    assert not depot.instruments.filter(status=InstrumentStatus.RESERVED).exists()


def test_depot_overview_shows_demand_against_stock(client, personas, depot):
    add_stock(depot, "violin", "1/2", 3)
    make_request(personas.organisation, depot, [line("violin", "1/2", 5)])
    make_request(personas.other, depot, [line("flute", None, 1)], submit=False)
    client.force_login(depot.staff)
    response = client.get(reverse("allocation:depot_overview"))
    assert response.status_code == 200
    rows = response.context["demand"]
    assert [(r["size"], r["wanted"], r["available"], r["short"]) for r in rows] == [
        ("1/2", 5, 3, 2)
    ]
    assert response.context["drafts"] == 1


def test_depot_runs_the_allocation_and_reads_the_report(client, personas, depot):
    shelf = make_location(depot, "Stelling B")
    add_stock(depot, "cello", "1/4", 4, location=shelf)
    make_request(personas.organisation, depot, [line("cello", "1/4", 4)])
    make_request(personas.other, depot, [line("cello", "1/4", 4)])
    client.force_login(depot.staff)
    response = client.post(reverse("allocation:run_create"), {"depot": depot.pk})
    run = AllocationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("allocation:run_report", args=[run.pk])
    report = client.get(response["Location"])
    assert report.status_code == 200
    per_programme = {row["programme"].pk: row for row in report.context["per_programme"]}
    assert per_programme[personas.organisation.pk]["exact"] == 2
    assert per_programme[personas.other.pk]["short"] == 2
    html = report.content.decode()
    assert "Greedy, first come first served" in html and "Proven optimal" in html
    picks = client.get(reverse("allocation:run_picklist", args=[run.pk]))
    assert picks.status_code == 200
    assert [name for name, _rows in picks.context["locations"]] == ["Stelling B"]
    tags = [a.instrument.asset_tag for a in picks.context["locations"][0][1]]
    assert tags == sorted(tags) and len(tags) == 4
    confirm = client.post(reverse("allocation:run_confirm", args=[run.pk]))
    assert confirm.status_code == 302
    assert depot.instruments.filter(status=InstrumentStatus.RESERVED).count() == 4


def test_instrument_page_shows_the_request_it_is_reserved_for(client, personas, depot):
    request, _run = confirmed_request(personas.organisation, depot, by=depot.staff, n=1)
    reserved = depot.instruments.get()
    client.force_login(depot.staff)
    page = client.get(reverse("depot:instrument_detail", args=[reserved.pk]))
    assert page.status_code == 200
    assert f"Request #{request.pk}" in page.content.decode()


def test_programme_cannot_open_depot_pages(client, personas, depot):
    _request, run = confirmed_request(personas.organisation, depot, by=depot.staff, n=1)
    client.force_login(personas.owner)
    assert client.get(reverse("allocation:depot_overview")).status_code == 403
    assert client.get(reverse("allocation:run_report", args=[run.pk])).status_code == 403


def test_more_lines_keeps_what_was_typed_and_saves_nothing(client, personas, depot):
    client.force_login(personas.owner)
    page = client.get(reverse("allocation:request_create"))
    data = _form_data(
        personas,
        depot,
        **{
            "school_year": page.context["form"].initial["school_year"],
            "lines-0-instrument_type": instrument("flute").pk,
            "lines-0-quantity": "3",
            "more_lines": "1",
        },
    )
    response = client.post(reverse("allocation:request_create"), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 3 + 6
    assert formset.forms[0]["quantity"].value() == "3"
    assert response.context["form"]["note"].value() == "Voor groep 5"
    assert not InstrumentRequest.objects.exists()
