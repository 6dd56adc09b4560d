"""Target L5: any sequence of checkout, return, transfer, lost, found, repair and retire keeps
the depot consistent: at most one open loan per instrument, loan rows only ever added, and each
instrument's status agreeing with its loans and repairs."""

import contextlib

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.roles import OrgKind
from leerorkest.depot import actions
from leerorkest.depot.models import Instrument, InstrumentStatus, Loan
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_organisation

Status = InstrumentStatus
INSTRUMENTS = 3


class DepotMachine(RuleBasedStateMachine):
    @initialize()
    def stock(self):
        self.depot = make_depot()
        self.programmes = [make_organisation(kind=OrgKind.PROGRAMME) for _ in range(2)]
        self.instruments = make_stock(self.depot, INSTRUMENTS)
        self.loan_ids: set[int] = set()

    def _try(self, action, index, **kwargs):
        instrument = Instrument.objects.get(pk=self.instruments[index].pk)
        # A refusal is a legal outcome; the invariants must hold either way.
        with contextlib.suppress(DomainError):
            action(instrument=instrument, by=None, **kwargs)

    @rule(index=st.integers(0, INSTRUMENTS - 1), to=st.integers(0, 1))
    def checkout(self, index, to):
        self._try(actions.checkout_instrument, index, borrower=self.programmes[to])

    @rule(index=st.integers(0, INSTRUMENTS - 1), dirty=st.booleans())
    def return_(self, index, dirty):
        self._try(actions.return_instrument, index, needs_cleaning=dirty)

    @rule(index=st.integers(0, INSTRUMENTS - 1), to=st.integers(0, 1))
    def transfer(self, index, to):
        self._try(actions.transfer_instrument, index, to=self.programmes[to])

    @rule(index=st.integers(0, INSTRUMENTS - 1))
    def lost(self, index):
        self._try(actions.report_lost, index)

    @rule(index=st.integers(0, INSTRUMENTS - 1))
    def found(self, index):
        self._try(actions.report_found, index)

    @rule(index=st.integers(0, INSTRUMENTS - 1))
    def repair(self, index):
        self._try(actions.send_to_repair, index)

    @rule(index=st.integers(0, INSTRUMENTS - 1))
    def repaired(self, index):
        self._try(actions.finish_repair, index)

    @rule(index=st.integers(0, INSTRUMENTS - 1))
    def cleaned(self, index):
        self._try(actions.finish_cleaning, index)

    @rule(index=st.integers(0, INSTRUMENTS - 1))
    def retire(self, index):
        self._try(actions.retire_instrument, index)

    @invariant()
    def consistent(self):
        if not hasattr(self, "instruments"):
            return
        loans = set(Loan.objects.values_list("pk", flat=True))
        assert self.loan_ids <= loans, "a loan row disappeared"
        self.loan_ids = loans
        for instrument in Instrument.objects.filter(pk__in=[i.pk for i in self.instruments]):
            open_loans = instrument.loans.filter(returned_at__isnull=True).count()
            assert open_loans <= 1
            if instrument.status == Status.ON_LOAN:
                assert open_loans == 1, instrument.status
            elif instrument.status != Status.LOST:
                assert open_loans == 0, instrument.status
            assert instrument.events.first().status_after == instrument.status


def test_depot_stays_consistent(db):
    # Examples share the test's transaction; each builds its own depot, so they do not meet.
    run_state_machine_as_test(
        DepotMachine,
        settings=settings(
            max_examples=200,
            stateful_step_count=50,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
