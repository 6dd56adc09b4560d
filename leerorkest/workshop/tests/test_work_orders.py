"""Work orders: opened by the depot's signals, moved along, signed off by QA only, costs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot import signals
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_member, make_organisation, make_user
from leerorkest.workshop import actions, figures, parts
from leerorkest.workshop.models import Skill, WorkOrder, WorkshopMember
from leerorkest.workshop.tests.builders import add_member, in_repair, make_part, make_workshop

Status = WorkOrder.Status


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def lead(depot):
    return make_member(depot, Role.WORKSHOP_LEAD)


@pytest.fixture
def staff(depot):
    return make_member(depot, Role.DEPOT_STAFF)


@pytest.fixture
def strings(depot, lead):
    return make_workshop(depot, [Skill.STRINGS], lead=lead, name="Strijkers")


@pytest.fixture
def winds(depot):
    return make_workshop(depot, [Skill.WOODWIND, Skill.BRASS], name="Blazers")


@pytest.fixture
def volunteer(strings):
    user = make_user()
    add_member(strings, user)
    return user


def _ready(order, by):
    actions.assign(work_order=order, to=by, by=order.workshop.lead or by)
    actions.ready_for_qa(work_order=order, by=by)


# --- receivers -----------------------------------------------------------------------------------


def test_sent_to_repair_opens_a_queued_order_in_the_workshop_with_the_skill(strings, winds):
    violin = in_repair(strings.organisation, "violin")
    clarinet = in_repair(strings.organisation, "clarinet")
    harp = in_repair(strings.organisation, "harp")  # plucked goes to the strings
    assert WorkOrder.objects.get(instrument=violin).workshop == strings
    order = WorkOrder.objects.get(instrument=clarinet)
    assert (order.workshop, order.skill, order.status) == (winds, Skill.WOODWIND, Status.QUEUED)
    assert order.source == WorkOrder.Source.INSPECTION
    assert WorkOrder.objects.get(instrument=harp).skill == Skill.STRINGS


def test_a_depot_without_workshops_opens_nothing(db):
    depot = make_depot()
    instrument = in_repair(depot)
    assert instrument.status == InstrumentStatus.IN_REPAIR
    assert not WorkOrder.objects.exists()


def test_damage_report_waits_then_the_return_queues_the_same_order(strings):
    programme = make_organisation(kind=OrgKind.PROGRAMME)
    [violin] = make_stock(strings.organisation)
    depot_actions.checkout_instrument(instrument=violin, borrower=programme, by=None)
    signals.damage_reported.send(
        sender=Instrument,
        instrument=violin,
        by=None,
        organisation=programme,
        description="Bridge broken",
    )
    order = WorkOrder.objects.get(instrument=violin)
    assert (order.status, order.source) == (Status.WAITING, WorkOrder.Source.DAMAGE_REPORT)
    assert order.reported_by == programme and "Bridge broken" in order.description
    depot_actions.return_instrument(instrument=violin, by=None)
    depot_actions.send_to_repair(instrument=violin, by=None, note="Seen at return")
    order.refresh_from_db()
    assert WorkOrder.objects.filter(instrument=violin).count() == 1
    assert order.status == Status.QUEUED
    assert "Seen at return" in order.description


def test_a_second_open_order_for_one_instrument_is_impossible(strings, staff):
    violin = in_repair(strings.organisation)
    with pytest.raises(DomainError) as refused:
        actions.create_work_order(instrument=violin, by=staff, description="again")
    assert refused.value.code == "already_open"
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkOrder.objects.create(
            organisation=strings.organisation,
            instrument=violin,
            workshop=strings,
            source="manual",
            skill="strings",
        )


def test_manual_order_sends_a_shelf_instrument_to_the_chosen_workshop(strings, winds, staff):
    [violin] = make_stock(strings.organisation)
    order = actions.create_work_order(
        instrument=violin, by=staff, description="Pegs", workshop=winds, skill=Skill.BRASS
    )
    violin.refresh_from_db()
    assert violin.status == InstrumentStatus.IN_REPAIR
    assert (order.workshop, order.skill, order.source) == (winds, Skill.BRASS, "manual")
    assert WorkOrder.objects.count() == 1


def test_volunteers_cannot_open_orders(strings, volunteer):
    [violin] = make_stock(strings.organisation)
    with pytest.raises(DomainError):
        actions.create_work_order(instrument=violin, by=volunteer, description="x")
    violin.refresh_from_db()
    assert violin.status == InstrumentStatus.AVAILABLE


# --- QA -----------------------------------------------------------------------------------------


def test_qa_sign_off_by_the_lead_makes_the_instrument_available(strings, lead, volunteer):
    violin = in_repair(strings.organisation)
    order = WorkOrder.objects.get(instrument=violin)
    _ready(order, volunteer)
    actions.sign_off(work_order=order, by=lead, note="Plays well")
    order.refresh_from_db()
    violin.refresh_from_db()
    assert order.status == Status.DONE
    assert order.qa_signed_by == lead and order.qa_signed_at is not None
    assert violin.status == InstrumentStatus.AVAILABLE
    event = violin.events.first()
    assert event.kind == EventKind.REPAIRED and "Plays well" in event.note
    assert AuditEvent.objects.filter(action="workshop.qa_signed").exists()


def test_depot_staff_may_sign_off_too(strings, staff, volunteer):
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    _ready(order, volunteer)
    actions.sign_off(work_order=order, by=staff)
    assert Instrument.objects.get(pk=order.instrument_id).status == InstrumentStatus.AVAILABLE


def test_only_the_lead_or_staff_sign_off(strings, volunteer, depot, winds):
    other_lead = make_member(depot, Role.WORKSHOP_LEAD)  # a lead, but not of this workshop
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    _ready(order, volunteer)
    for person in (volunteer, other_lead):
        with pytest.raises(DomainError) as refused:
            actions.sign_off(work_order=order, by=person)
        assert refused.value.code == "not_allowed"
    order.refresh_from_db()
    assert order.status == Status.AWAITING_QA
    assert Instrument.objects.get(pk=order.instrument_id).status == InstrumentStatus.IN_REPAIR


def test_sign_off_needs_the_order_ready_for_qa(strings, lead):
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    with pytest.raises(DomainError) as refused:
        actions.sign_off(work_order=order, by=lead)
    assert refused.value.code == "wrong_status"


def test_cancel_of_an_instrument_in_repair_means_retiring_it(strings, lead):
    violin = in_repair(strings.organisation)
    order = WorkOrder.objects.get(instrument=violin)
    with pytest.raises(DomainError):
        actions.cancel(work_order=order, by=lead)
    actions.cancel(work_order=order, by=lead, retire=True, note="Cracked top")
    violin.refresh_from_db()
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert violin.status == InstrumentStatus.RETIRED


def test_volunteer_takes_from_the_queue_but_not_someone_elses(strings, volunteer):
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    actions.take(work_order=order, by=volunteer)
    order.refresh_from_db()
    assert (order.assigned_to, order.status) == (volunteer, Status.IN_PROGRESS)
    other = make_user()
    add_member(strings, other)
    with pytest.raises(DomainError):
        actions.take(work_order=order, by=other)
    with pytest.raises(DomainError):  # not theirs to record hours on
        actions.add_labour(work_order=order, hours=Decimal(1), by=other)


# --- lines and costs ------------------------------------------------------------------------------


def test_labour_and_parts_add_up_and_paid_hours_cost(strings, lead):
    paid = make_user()
    add_member(strings, paid, kind=WorkshopMember.Kind.PAID, rate=3000)
    volunteer = make_user()
    add_member(strings, volunteer)
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    part = make_part(strings.organisation, "Strings set", on_hand=5, cost=1250)
    actions.assign(work_order=order, to=paid, by=lead)
    actions.add_labour(work_order=order, hours=Decimal("1.5"), by=paid)
    actions.add_labour(work_order=order, hours=Decimal(2), by=lead, worker=volunteer)
    line = parts.use_part(work_order=order, part=part, quantity=2, by=paid)
    order.refresh_from_db()
    part.refresh_from_db()
    assert line.unit_cost_cents == 1250
    assert order.parts_cost_cents == 2500
    assert order.labour_cost_cents == 4500  # 1.5 h × €30; the volunteer's 2 h cost nothing
    assert order.hours == Decimal("3.5")
    assert part.on_hand == 3
    assert part.movements.filter(kind="used", work_order=order, quantity=-2).exists()


def test_cost_warning_passes_the_share_of_the_current_value(strings, lead, settings):
    settings.REPAIR_COST_WARNING_PERCENT = 50
    violin = in_repair(strings.organisation, value_cents=10_000)
    order = WorkOrder.objects.get(instrument=violin)
    part = make_part(strings.organisation, on_hand=10, cost=2500)
    parts.use_part(work_order=order, part=part, quantity=2, by=lead)
    order.refresh_from_db()
    assert order.cost_cents == 5000 and not order.cost_warning()  # exactly half: no warning
    parts.use_part(work_order=order, part=part, quantity=1, by=lead)
    order.refresh_from_db()
    assert order.cost_warning()
    settings.REPAIR_COST_WARNING_PERCENT = 80
    assert not order.cost_warning()


def test_cost_warning_uses_the_depreciated_value(strings):
    violin = in_repair(
        strings.organisation,
        value_cents=10_000,
        acquired_on=timezone.localdate() - timedelta(days=int(365.25 * 5)),
    )
    order = WorkOrder.objects.get(instrument=violin)
    assert order.cost_limit_cents() == 2500  # half of €100 written off 50%


def test_lines_on_a_finished_order_are_refused(strings, lead, volunteer):
    order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
    _ready(order, volunteer)
    actions.sign_off(work_order=order, by=lead)
    with pytest.raises(DomainError):
        actions.add_labour(work_order=order, hours=Decimal(1), by=lead)


# --- figures ------------------------------------------------------------------------------------


def test_turnaround_and_cost_figures(strings, lead, volunteer):
    today = timezone.localdate()
    orders = []
    for days in (2, 4, 9):
        order = WorkOrder.objects.get(instrument=in_repair(strings.organisation))
        _ready(order, volunteer)
        actions.sign_off(work_order=order, by=lead)
        WorkOrder.objects.filter(pk=order.pk).update(
            opened_at=order.opened_at - timedelta(days=days), parts_cost_cents=days * 100
        )
        orders.append(order)
    result = figures.repair_turnaround(
        strings.organisation, today - timedelta(days=30), today + timedelta(days=1)
    )
    assert result[strings.pk]["count"] == 3
    assert result[strings.pk]["median_days"] == pytest.approx(4, abs=0.1)
    costs = figures.repair_cost_per_instrument(
        strings.organisation, today - timedelta(days=30), today + timedelta(days=1)
    )
    assert costs == {"instruments": 3, "total_cents": 1500, "per_instrument_cents": 500}
    assert (
        figures.repair_turnaround(
            strings.organisation, today - timedelta(days=60), today - timedelta(days=30)
        )
        == {}
    )
