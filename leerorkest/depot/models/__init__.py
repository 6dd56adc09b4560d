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
from leerorkest.depot.models.loans import (
    AgreementVersion,
    Loan,
    LoanAgreement,
    PupilLoan,
    SignedHow,
)
from leerorkest.depot.models.returns import Inspection, Outcome, ReminderSent

__all__ = [
    "AgreementVersion",
    "Condition",
    "EventKind",
    "Inspection",
    "Instrument",
    "InstrumentEvent",
    "InstrumentModel",
    "InstrumentPhoto",
    "InstrumentStatus",
    "KitItem",
    "Loan",
    "LoanAgreement",
    "Location",
    "Outcome",
    "PupilLoan",
    "ReminderSent",
    "SignedHow",
    "Size",
]
