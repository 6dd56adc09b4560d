"""The instrument depot: sizes, locations, instruments with their history, and loans."""

from leerorkest.depot.models.instruments import (
    Condition,
    EventKind,
    Instrument,
    InstrumentEvent,
    InstrumentStatus,
    Location,
    Size,
)
from leerorkest.depot.models.loans import Loan, LoanAgreement, PupilLoan

__all__ = [
    "Condition",
    "EventKind",
    "Instrument",
    "InstrumentEvent",
    "InstrumentStatus",
    "Loan",
    "LoanAgreement",
    "Location",
    "PupilLoan",
    "Size",
]
