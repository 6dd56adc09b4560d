"""Places, school years, schools, classes and pupils."""

from leerorkest.schools.models.imports import ClassListImport, ImportStatus
from leerorkest.schools.models.places import (
    District,
    Neighbourhood,
    School,
    SchoolQuerySet,
    brin_validator,
)
from leerorkest.schools.models.pupils import (
    ClassPlacement,
    Consent,
    ConsentPurpose,
    Pupil,
    PupilQuerySet,
    SchoolClass,
)
from leerorkest.schools.models.years import (
    Holiday,
    HolidayRegion,
    Rollover,
    Room,
    SchoolParticipation,
    SchoolYear,
)

__all__ = [
    "ClassListImport",
    "ClassPlacement",
    "Consent",
    "ConsentPurpose",
    "District",
    "Holiday",
    "HolidayRegion",
    "ImportStatus",
    "Neighbourhood",
    "Pupil",
    "PupilQuerySet",
    "Rollover",
    "Room",
    "School",
    "SchoolClass",
    "SchoolParticipation",
    "SchoolQuerySet",
    "SchoolYear",
    "brin_validator",
]
