"""Instruments, teachers, instrument choice, lesson groups, ensembles, partners and events."""

from leerorkest.programme.models.ensembles import (
    Ensemble,
    EnsembleKind,
    EnsembleMember,
    LessonGroup,
    LessonGroupMember,
    Sectional,
)
from leerorkest.programme.models.events import Agreement, Event, EventTask, Partner, PartnerContact
from leerorkest.programme.models.instruments import (
    AssignmentRun,
    InstrumentChoice,
    InstrumentFamily,
    InstrumentType,
    SectionTarget,
)
from leerorkest.programme.models.teachers import Teacher, TeacherAvailability, TrainingRecord

__all__ = [
    "Agreement",
    "AssignmentRun",
    "Ensemble",
    "EnsembleKind",
    "EnsembleMember",
    "Event",
    "EventTask",
    "InstrumentChoice",
    "InstrumentFamily",
    "InstrumentType",
    "LessonGroup",
    "LessonGroupMember",
    "Partner",
    "PartnerContact",
    "SectionTarget",
    "Sectional",
    "Teacher",
    "TeacherAvailability",
    "TrainingRecord",
]
