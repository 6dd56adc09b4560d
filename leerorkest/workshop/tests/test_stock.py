"""Parts stock (ledger, never negative), harvesting, and maintenance plans."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import Role
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import EventKind, Instrument, InstrumentStatus
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_member
from leerorkest.workshop import actions, parts
from leerorkest.workshop import maintenance as plan_actions
from leerorkest.workshop.models import MaintenancePlan, Part, PartMovement, Skill, WorkOrder
from leerorkest.workshop.tasks import maintenance
from leerorkest.workshop.tests.builders import in_repair, make_part, make_workshop


@pytest.fixture
def depot(db):
    return make_depot()


@pytest.fixture
def lead(depot):
    return make_member(depot, Role.WORKSHOP_LEAD)


@pytest.fixture
def winds(depot, lead):
    return make_workshop(depot, [Skill.WOODWIND, Skill.BRASS], lead=lead)


def test_stock_cannot_go_negative(winds, lead):
    part = make_part(winds.organisation, "Pads", on_hand=2)
    order = WorkOrder.objects.get(instrument=in_repair(winds.organisation, "flute"))
    with pytest.raises(DomainError) as refused:
        parts.use_part(work_order=order, part=part, quantity=3, by=lead)
    assert refused.value.code == "not_enough_stock"
    part.refresh_from_db()
    order.refresh_from_db()
    assert part.on_hand == 2 and order.parts_cost_cents == 0
    assert not order.part_lines.exists()
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Part.objects.filter(pk=part.pk).update(on_hand=-1)


def test_receive_and_correct_keep_the_ledger(winds, lead):
    part = make_part(winds.organisation, "Valve oil", cost=300)
    parts.receive_stock(part=part, quantity=12, unit_cost_cents=350, by=lead, note="Invoice 7")
    parts.correct_stock(part=part, counted=10, by=lead, note="Counted")
    part.refresh_from_db()
    assert (part.on_hand, part.unit_cost_cents) == (10, 350)
    kinds = list(part.movements.order_by("pk").values_list("kind", "quantity"))
    assert kinds == [("purchase", 12), ("correction", -2)]
    assert part.on_hand == sum(q for _k, q in kinds)


def test_the_ledger_is_append_only(winds, lead):
    part = make_part(winds.organisation)
    movement = parts.receive_stock(part=part, quantity=1, by=lead)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartMovement.objects.filter(pk=movement.pk).update(quantity=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartMovement.objects.filter(pk=movement.pk).delete()


def test_volunteers_do_not_manage_the_stock(winds):
    volunteer = make_member(winds.organisation, Role.WORKSHOP_VOLUNTEER)
    part = make_part(winds.organisation)
    with pytest.raises(DomainError):
        parts.receive_stock(part=part, quantity=5, by=volunteer)
    assert Part.objects.get(pk=part.pk).on_hand == 0


def test_below_reorder(winds):
    low = make_part(winds.organisation, "Reeds", on_hand=3, reorder=5)
    make_part(winds.organisation, "Cork", on_hand=30, reorder=5)
    assert list(Part.objects.below_reorder()) == [low]


def test_harvesting_from_a_retired_instrument(winds, lead):
    [flute] = make_stock(winds.organisation, code="flute")
    pads = make_part(winds.organisation, "Pads", on_hand=1)
    keys = make_part(winds.organisation, "Keys")
    with pytest.raises(DomainError) as refused:
        parts.harvest_parts(
            parts=[(pads, 4)], by=lead, organisation_id=flute.organisation_id, instrument=flute
        )
    assert refused.value.code == "not_retired"
    depot_actions.retire_instrument(instrument=flute, by=lead)
    parts.harvest_parts(
        parts=[(pads, 4), (keys, 2)],
        by=lead,
        organisation_id=flute.organisation_id,
        instrument=flute,
        note="Body cracked",
    )
    pads.refresh_from_db()
    assert pads.on_hand == 5
    assert Part.objects.get(pk=keys.pk).on_hand == 2
    assert PartMovement.objects.filter(kind="harvested", instrument=flute).count() == 2
    event = flute.events.first()
    assert event.kind == EventKind.HARVESTED
    assert event.status_after == InstrumentStatus.RETIRED
    assert "4× Pads" in event.note
    assert Instrument.objects.get(pk=flute.pk).status == InstrumentStatus.RETIRED


# --- maintenance --------------------------------------------------------------------------------


def _old(depot, code, years=2):
    [instrument] = make_stock(depot, code=code)
    Instrument.objects.filter(pk=instrument.pk).update(
        acquired_on=timezone.localdate() - timedelta(days=365 * years)
    )
    return instrument


def test_maintenance_opens_due_orders_once(winds, lead):
    plan = MaintenancePlan.objects.create(
        organisation=winds.organisation,
        family="woodwind",
        workshop=winds,
        skill=Skill.WOODWIND,
        interval_months=12,
        description="Yearly woodwind service",
    )
    due = _old(winds.organisation, "clarinet")
    new = _old(winds.organisation, "flute", years=0)  # came in recently
    brass = _old(winds.organisation, "trumpet")  # not in the plan
    lent = _old(winds.organisation, "oboe")
    from leerorkest.testing import make_organisation

    depot_actions.checkout_instrument(instrument=lent, borrower=make_organisation(), by=None)
    assert maintenance.enqueue().return_value == 1
    order = WorkOrder.objects.get()
    assert order.instrument == due
    assert (order.source, order.workshop, order.skill) == ("maintenance", winds, "woodwind")
    assert order.description == "Yearly woodwind service"
    assert Instrument.objects.get(pk=due.pk).status == InstrumentStatus.IN_REPAIR
    assert Instrument.objects.get(pk=new.pk).status == InstrumentStatus.AVAILABLE
    assert Instrument.objects.get(pk=brass.pk).status == InstrumentStatus.AVAILABLE
    # Not twice: not while it is open, and not after its service within the year.
    assert plan_actions.open_due_maintenance() == []
    volunteer = make_member(winds.organisation, Role.WORKSHOP_VOLUNTEER)
    actions.assign(work_order=order, to=volunteer, by=lead)
    actions.ready_for_qa(work_order=order, by=volunteer)
    actions.sign_off(work_order=order, by=lead)
    assert plan_actions.open_due_maintenance() == []
    # A year on, it is due again (and so is the flute that came in this year).
    later = timezone.localdate() + timedelta(days=370)
    assert [o.instrument for o in plan_actions.open_due_maintenance(today=later)] == [due, new]
    assert plan.pk


def test_maintenance_command(winds, capsys):
    MaintenancePlan.objects.create(
        organisation=winds.organisation,
        family="woodwind",
        workshop=winds,
        skill=Skill.WOODWIND,
    )
    _old(winds.organisation, "clarinet")
    _old(winds.organisation, "flute")
    call_command("maintenance", "--dry-run")
    assert "2 instruments due" in capsys.readouterr().out
    assert not WorkOrder.objects.exists()
    call_command("maintenance", "--limit", "1")
    assert "1 maintenance work orders opened" in capsys.readouterr().out
    call_command("maintenance")
    assert WorkOrder.objects.filter(source="maintenance").count() == 2


def test_moved_functions_still_importable_from_actions():
    from leerorkest.workshop.actions import harvest_parts, open_due_maintenance

    assert harvest_parts is parts.harvest_parts
    assert open_due_maintenance is plan_actions.open_due_maintenance
    with pytest.raises(AttributeError):
        actions.no_such_function  # noqa: B018
