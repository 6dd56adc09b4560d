"""The instrument depot: sizes, locations, instruments with their history, and loans."""

from leerorkest.depot.models.catalogue import InstrumentModel, KitItem
from leerorkest.depot.models.instruments import (
    Condition,
    EventKind,
    Instrument,
    InstrumentEvent,
    InstrumentPhoto,
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
    "InstrumentModel",
    "InstrumentPhoto",
    "InstrumentStatus",
    "KitItem",
    "Loan",
    "LoanAgreement",
    "Location",
    "PupilLoan",
    "Size",
]
