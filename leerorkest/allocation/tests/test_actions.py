"""Requests and allocation runs: what they write, and what they refuse."""

import pytest
from django.utils import translation

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.allocation import actions
from leerorkest.allocation.models import Allocation, AllocationRun, RequestStatus
from leerorkest.allocation.tests.builders import (
    add_stock,
    confirmed_request,
    line,
    make_depot,
    make_location,
    make_request,
)
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, InstrumentEvent, InstrumentStatus
from leerorkest.testing import make_member, make_organisation, make_school


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    depot = make_depot()
    staff = make_member(depot, Role.DEPOT_STAFF)
    return personas, depot, staff


def test_a_request_needs_lines_and_a_size_where_sizes_exist(world):
    p, depot, _staff = world
    with pytest.raises(DomainError):
        make_request(p.organisation, depot, [])
    with pytest.raises(DomainError) as refused:
        make_request(p.organisation, depot, [line("violin", None, 2)])
    assert refused.value.code == "size_required"


def test_a_school_of_another_programme_is_refused(world):
    p, depot, _staff = world
    theirs = make_school(p.other)
    with pytest.raises(DomainError) as refused:
        make_request(p.organisation, depot, [line("flute", None, 1)], school=theirs)
    assert refused.value.code == "wrong_school"


def test_run_proposes_without_reserving(world):
    p, depot, staff = world
    shelf = make_location(depot)
    add_stock(depot, "violin", "1/2", 3, location=shelf)
    request = make_request(p.organisation, depot, [line("violin", "1/2", 2)], by=p.owner)
    run = actions.run_allocation(depot=depot, by=staff)
    assert run.solver_status == "OPTIMAL"
    assert run.figures["filled"] == 2 and run.greedy_figures["filled"] == 2
    assert run.allocations.count() == 2
    assert list(run.requests.all()) == [request]
    assert not InstrumentEvent.objects.filter(kind=EventKind.RESERVED).exists()
    # The lowest asset tags of the group are picked.
    tags = sorted(a.instrument.asset_tag for a in run.allocations.select_related("instrument"))
    available = depot.instruments.order_by("asset_tag").values_list("asset_tag", flat=True)
    assert tags == list(available[:2])


def test_confirm_reserves_writes_events_and_sets_statuses(world):
    p, depot, staff = world
    add_stock(depot, "violin", "1/2", 2)
    add_stock(depot, "cello", "1/4", 1)
    full = make_request(p.organisation, depot, [line("violin", "1/2", 2)], by=p.owner)
    part = make_request(p.other, depot, [line("cello", "1/4", 3)])
    run = actions.run_allocation(depot=depot, by=staff)
    actions.confirm_run(run=run, by=staff)
    run.refresh_from_db()
    assert run.confirmed_at is not None and run.confirmed_by == staff
    reserved = depot.instruments.filter(status=InstrumentStatus.RESERVED)
    assert reserved.count() == 3
    assert set(reserved.values_list("reserved_for", flat=True)) == {p.organisation.pk, p.other.pk}
    events = InstrumentEvent.objects.filter(kind=EventKind.RESERVED)
    assert events.count() == 3
    assert {e.note for e in events} == {f"request #{full.pk}", f"request #{part.pk}"}
    full.refresh_from_db()
    part.refresh_from_db()
    assert full.status == RequestStatus.ALLOCATED
    assert part.status == RequestStatus.PARTLY_ALLOCATED
    assert AuditEvent.objects.filter(action="allocation.confirm").count() == 1
    with pytest.raises(DomainError):
        actions.confirm_run(run=run, by=staff)


def test_a_later_run_allocates_only_what_is_still_missing(world):
    p, depot, staff = world
    add_stock(depot, "cello", "1/4", 1)
    request = make_request(p.organisation, depot, [line("cello", "1/4", 3)])
    actions.confirm_run(run=actions.run_allocation(depot=depot, by=staff), by=staff)
    add_stock(depot, "cello", "1/4", 5)
    second = actions.run_allocation(depot=depot, by=staff)
    assert second.allocations.count() == 2
    actions.confirm_run(run=second, by=staff)
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED


def test_confirm_is_refused_when_an_instrument_was_lent_meanwhile(world):
    p, depot, staff = world
    add_stock(depot, "violin", "1/2", 3)
    make_request(p.organisation, depot, [line("violin", "1/2", 3)])
    run = actions.run_allocation(depot=depot, by=staff)
    lent = run.allocations.order_by("-instrument__asset_tag").first().instrument
    other = make_organisation(kind=OrgKind.PARTNER)
    depot_actions.checkout_instrument(instrument=lent, borrower=other, by=staff)
    with pytest.raises(DomainError) as refused:
        actions.confirm_run(run=run, by=staff)
    assert refused.value.code == "instrument_unavailable"
    assert lent.asset_tag in refused.value.message
    # Nothing half-written: no reservation, no event, the run still unconfirmed.
    assert not depot.instruments.filter(status=InstrumentStatus.RESERVED).exists()
    assert not InstrumentEvent.objects.filter(kind=EventKind.RESERVED).exists()
    run.refresh_from_db()
    assert run.confirmed_at is None


def test_confirm_is_refused_when_a_request_was_withdrawn(world):
    p, depot, staff = world
    add_stock(depot, "violin", "1/2", 1)
    request = make_request(p.organisation, depot, [line("violin", "1/2", 1)])
    run = actions.run_allocation(depot=depot, by=staff)
    actions.withdraw_request(request=request, by=p.owner)
    with pytest.raises(DomainError) as refused:
        actions.confirm_run(run=run, by=staff)
    assert refused.value.code == "stale_run"


def test_an_older_run_cannot_be_confirmed_after_a_newer_one(world):
    p, depot, staff = world
    add_stock(depot, "violin", "1/2", 4)
    make_request(p.organisation, depot, [line("violin", "1/2", 2)])
    older = actions.run_allocation(depot=depot, by=staff)
    newer = actions.run_allocation(depot=depot, by=staff)
    actions.confirm_run(run=newer, by=staff)
    with pytest.raises(DomainError) as refused:
        actions.confirm_run(run=older, by=staff)
    assert refused.value.code == "stale_run"


def test_withdraw_releases_the_reservations(world):
    p, depot, staff = world
    request, run = confirmed_request(p.organisation, depot, by=staff, n=2)
    actions.withdraw_request(request=request, by=p.owner)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert not depot.instruments.filter(status=InstrumentStatus.RESERVED).exists()
    assert InstrumentEvent.objects.filter(kind=EventKind.UNRESERVED).count() == 2
    assert Allocation.objects.filter(run=run, released_at__isnull=False).count() == 2
    with pytest.raises(DomainError):
        actions.withdraw_request(request=request, by=p.owner)


def test_withdraw_leaves_an_instrument_already_lent_on_loan(world):
    p, depot, staff = world
    request, _run = confirmed_request(p.organisation, depot, by=staff, n=2)
    handed = depot.instruments.order_by("asset_tag").first()
    depot_actions.checkout_instrument(instrument=handed, borrower=p.organisation, by=staff)
    actions.withdraw_request(request=request, by=p.owner)
    handed.refresh_from_db()
    assert handed.status == InstrumentStatus.ON_LOAN
    assert depot.instruments.filter(status=InstrumentStatus.AVAILABLE).count() == 1


def test_only_a_draft_can_be_changed_or_submitted(world):
    p, depot, _staff = world
    draft = make_request(p.organisation, depot, [line("flute", None, 1)], submit=False)
    updated = actions.update_request(
        request=draft,
        school_year=draft.school_year,
        needed_by=draft.needed_by,
        lines=[line("flute", None, 4), line("trumpet", None, 2)],
        by=p.owner,
    )
    assert sorted(updated.lines.values_list("quantity", flat=True)) == [2, 4]
    actions.submit_request(request=draft, by=p.owner)
    with pytest.raises(DomainError):
        actions.submit_request(request=draft, by=p.owner)
    with pytest.raises(DomainError):
        actions.update_request(
            request=draft,
            school_year=draft.school_year,
            needed_by=draft.needed_by,
            lines=[line("flute", None, 1)],
            by=p.owner,
        )


def test_nothing_open_is_refused(world):
    _p, depot, staff = world
    with pytest.raises(DomainError) as refused:
        actions.run_allocation(depot=depot, by=staff)
    assert refused.value.code == "nothing_open"
    assert not AllocationRun.objects.exists()
