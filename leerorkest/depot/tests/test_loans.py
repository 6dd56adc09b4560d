"""Loans keep their invariants in the database (targets L3, L6, L7, L8)."""

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from leerorkest.accounts.actions import DomainError
from leerorkest.depot import actions
from leerorkest.depot.models import InstrumentEvent, InstrumentStatus, Loan
from leerorkest.depot.tests.builders import make_depot, make_stock

Status = InstrumentStatus


@pytest.fixture
def depot(db):
    return make_depot()


def test_checkout_and_return(personas, depot):
    [violin] = make_stock(depot)
    loan = actions.checkout_instrument(
        instrument=violin, borrower=personas.organisation, by=personas.owner
    )
    violin.refresh_from_db()
    assert violin.status == Status.ON_LOAN
    assert loan.due_on.month == 7 and loan.due_on.day == 31
    actions.return_instrument(instrument=violin, by=personas.owner, needs_cleaning=True)
    violin.refresh_from_db()
    assert violin.status == Status.CLEANING
    kinds = list(violin.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["acquired", "checked_out", "returned"]


def test_second_checkout_is_a_clear_refusal(personas, depot):
    [violin] = make_stock(depot)
    actions.checkout_instrument(instrument=violin, borrower=personas.organisation, by=None)
    with pytest.raises(actions.AlreadyOnLoan) as refused:
        actions.checkout_instrument(instrument=violin, borrower=personas.other, by=None)
    assert refused.value.code == "already_on_loan"
    assert Loan.objects.count() == 1


def test_database_refuses_a_second_open_loan(personas, depot):
    """L3: the constraint itself, without the action's checks."""
    [violin] = make_stock(depot)
    actions.checkout_instrument(instrument=violin, borrower=personas.organisation, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            instrument=violin, lender=depot, borrower=personas.other, due_on="2027-07-31"
        )
    # A returned loan does not count: the instrument can go out again.
    actions.return_instrument(instrument=violin, by=None)
    actions.checkout_instrument(instrument=violin, borrower=personas.other, by=None)
    assert Loan.objects.filter(instrument=violin).count() == 2


def test_loan_and_history_rows_cannot_be_deleted(personas, depot):
    """L6 on both engines."""
    [violin] = make_stock(depot)
    loan = actions.checkout_instrument(instrument=violin, borrower=personas.organisation, by=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        Loan.objects.filter(pk=loan.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        InstrumentEvent.objects.filter(instrument=violin).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        InstrumentEvent.objects.filter(instrument=violin).update(kind="lost")
    assert Loan.objects.filter(pk=loan.pk).exists()
    assert violin.events.count() == 2


def test_the_same_submit_twice_makes_one_loan(personas, depot):
    """L7: a double click or a retry with the same key."""
    [violin] = make_stock(depot)
    first = actions.checkout_instrument(
        instrument=violin, borrower=personas.organisation, by=None, idempotency_key="desk-42"
    )
    again = actions.checkout_instrument(
        instrument=violin, borrower=personas.organisation, by=None, idempotency_key="desk-42"
    )
    assert first.pk == again.pk
    assert Loan.objects.count() == 1
    assert violin.events.filter(kind="checked_out").count() == 1
    [cello] = make_stock(depot, code="cello")
    with pytest.raises(DomainError):
        actions.checkout_instrument(
            instrument=cello, borrower=personas.organisation, by=None, idempotency_key="desk-42"
        )


def test_bulk_checkout_reports_what_was_out(personas, depot):
    """L8: N instruments of which k are out: N−k loans, k reported by tag, nothing else."""
    stock = make_stock(depot, 10)
    out = stock[2:5]
    for violin in out:
        actions.checkout_instrument(instrument=violin, borrower=personas.other, by=None)
    events_before = InstrumentEvent.objects.count()
    loans, refused = actions.checkout_many(
        instruments=stock, borrower=personas.organisation, by=personas.owner
    )
    assert len(loans) == 7
    assert sorted(refused) == sorted(v.asset_tag for v in out)
    assert InstrumentEvent.objects.count() == events_before + 7
    assert set(
        Loan.objects.filter(borrower=personas.other).values_list("instrument", flat=True)
    ) == {v.pk for v in out}


def test_transfer_closes_one_loan_and_opens_another(personas, depot):
    [violin] = make_stock(depot)
    first = actions.checkout_instrument(instrument=violin, borrower=personas.organisation, by=None)
    second = actions.transfer_instrument(instrument=violin, to=personas.other, by=None)
    first.refresh_from_db()
    assert first.returned_at is not None and second.returned_at is None
    assert second.borrower == personas.other


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        (["send_to_repair"], Status.IN_REPAIR),
        (["send_to_repair", "finish_repair"], Status.AVAILABLE),
        (["report_lost"], Status.LOST),
        (["report_lost", "report_found"], Status.AVAILABLE),
        (["retire_instrument"], Status.RETIRED),
    ],
)
def test_status_follows_the_events(depot, steps, status):
    [violin] = make_stock(depot)
    for step in steps:
        getattr(actions, step)(instrument=violin, by=None)
    violin.refresh_from_db()
    assert violin.status == status
    assert violin.events.first().status_after == status


def test_instruments_out_of_use_cannot_be_lent(personas, depot):
    [violin] = make_stock(depot)
    actions.send_to_repair(instrument=violin, by=None)
    with pytest.raises(DomainError) as refused:
        actions.checkout_instrument(instrument=violin, borrower=personas.organisation, by=None)
    assert refused.value.code == "not_available"
    actions.finish_repair(instrument=violin, by=None)
    actions.checkout_instrument(instrument=violin, borrower=personas.organisation, by=None)
    with pytest.raises(DomainError):
        actions.retire_instrument(instrument=violin, by=None)
