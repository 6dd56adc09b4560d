"""Subject-access export (target P2): everything the platform holds about one pupil.

Sections are registered per model that points at Pupil; a test fails when a model with a
foreign key to Pupil has no section, so a new feature (loans, attendance…) cannot be forgotten.
Apps add their own with `register_section`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import AuditEvent
from leerorkest.privacy import consent
from leerorkest.programme.models import (
    EnsembleKind,
    EnsembleMember,
    InstrumentChoice,
    InstrumentType,
    LessonGroupMember,
)
from leerorkest.schools.models import ClassPlacement, Consent, ConsentPurpose, Pupil

FORMAT = "leerorkest-subject-access/1"


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy translation
    models: tuple[str, ...]  # the models it covers ("app_label.ModelName")
    rows: Callable[[Pupil], list[dict]]


SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    if all(s.key != section.key for s in SECTIONS):
        SECTIONS.append(section)


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _instrument(instrument) -> str | None:
    return instrument.code if instrument is not None else None


def pupil_fields(pupil: Pupil) -> dict:
    """Every stored field of the record, read from the model (a new field is exported too)."""
    data = {}
    for field in Pupil._meta.concrete_fields:
        if field.name == "organisation":
            data["organisation"] = {"id": pupil.organisation_id, "name": pupil.organisation.name}
        else:
            data[field.name] = _value(field.value_from_object(pupil))
    return data


def _placements(pupil: Pupil) -> list[dict]:
    rows = ClassPlacement.objects.filter(pupil=pupil).select_related(
        "school_class__school__organisation", "school_year"
    )
    return [
        {
            "school_year": str(p.school_year),
            "school": p.school_class.school.organisation.name,
            "brin": p.school_class.school.brin,
            "class": p.school_class.name,
            "groep": p.school_class.year_group,
            "leaving": p.is_leaving,
        }
        for p in rows.order_by("school_year__starts_on")
    ]


def _choices(pupil: Pupil) -> list[dict]:
    rows = InstrumentChoice.objects.filter(pupil=pupil).select_related(
        "school_year", "first", "second", "third", "assigned"
    )
    return [
        {
            "school_year": str(c.school_year),
            "first": _instrument(c.first),
            "second": _instrument(c.second),
            "third": _instrument(c.third),
            "assigned": _instrument(c.assigned),
            "assigned_by_hand": c.overridden_by_id is not None,
        }
        for c in rows.order_by("school_year__starts_on")
    ]


def _lesson_groups(pupil: Pupil) -> list[dict]:
    rows = LessonGroupMember.objects.filter(pupil=pupil).select_related(
        "school_year", "group__instrument", "group__teacher", "group__school__organisation"
    )
    return [
        {
            "school_year": str(m.school_year),
            "group": m.group.name,
            "school": m.group.school.organisation.name,
            "groep": m.group.year_group,
            "instrument": _instrument(m.group.instrument),
            "teacher": m.group.teacher.full_name if m.group.teacher else None,
        }
        for m in rows.order_by("school_year__starts_on")
    ]


def _instrument_loans(pupil: Pupil) -> list[dict]:
    from leerorkest.depot.models import PupilLoan

    rows = PupilLoan.objects.filter(pupil=pupil).select_related("loan__instrument")
    return [
        {
            "instrument": str(m.loan.instrument),
            "out": _value(m.out_at),
            "returned": _value(m.returned_at),
            "signed_by": m.signed_by,
            "signed_at": _value(m.signed_at),
        }
        for m in rows.order_by("out_at")
    ]


def _ensembles(pupil: Pupil) -> list[dict]:
    rows = EnsembleMember.objects.filter(pupil=pupil).select_related(
        "ensemble__school_year", "instrument"
    )
    return [
        {
            "ensemble": m.ensemble.name,
            "kind": m.ensemble.kind,
            "school_year": str(m.ensemble.school_year),
            "status": m.status,
            "instrument": _instrument(m.instrument),
            "senior": m.is_senior,
            "since": _value(m.since),
        }
        for m in rows.order_by("since", "id")
    ]


def _attendance(pupil: Pupil) -> list[dict]:
    from leerorkest.timetable.models import AttendanceMark

    rows = AttendanceMark.objects.filter(pupil=pupil).select_related("lesson_date__planned")
    return [
        {
            "date": _value(m.lesson_date.date),
            "lesson": m.lesson_date.planned.title,
            "attendance": m.status,
            "marked_at": _value(m.marked_at),
        }
        for m in rows.order_by("lesson_date__date", "lesson_date__starts_at", "id")
    ]


def _consents(pupil: Pupil) -> list[dict]:
    erased = pupil.pseudonymised_at is not None
    return [
        {
            "purpose": c.purpose,
            "given": c.given,
            # The history cannot be changed; after erasure the export leaves the name out.
            "given_by": None if erased else c.given_by,
            "source": c.source,
            "decided_on": _value(c.decided_on),
            "recorded_at": _value(c.recorded_at),
            "recorded_by": c.recorded_by.full_name,
        }
        for c in consent.history(pupil)
    ]


def audit_rows(pupil: Pupil):
    return AuditEvent.objects.filter(
        Q(object_type=Pupil._meta.label_lower, object_id=str(pupil.pk))
        | Q(details__pupil_id=pupil.pk)
    ).order_by("at", "id")


def _audit(pupil: Pupil) -> list[dict]:
    # The description column is left out: it may hold the name as it was before erasure.
    return [
        {"at": _value(e.at), "by": e.actor_label, "action": e.action, "details": e.details}
        for e in audit_rows(pupil)
    ]


register_section(Section("placements", _("Classes"), ("schools.ClassPlacement",), _placements))
register_section(
    Section("instrument_choices", _("Instrument choice"), ("programme.InstrumentChoice",), _choices)
)
register_section(
    Section(
        "lesson_groups",
        _("Lesson groups"),
        ("programme.LessonGroupMember", "programme.LessonGroup"),
        _lesson_groups,
    )
)
register_section(Section("ensembles", _("Orchestras"), ("programme.EnsembleMember",), _ensembles))
register_section(
    Section(
        "instrument_loans", _("Instruments taken home"), ("depot.PupilLoan",), _instrument_loans
    )
)
register_section(Section("attendance", _("Attendance"), ("timetable.AttendanceMark",), _attendance))
register_section(Section("consents", _("Consent"), ("schools.Consent",), _consents))
register_section(Section("audit_events", _("Who looked at or changed the record"), (), _audit))


COLUMN_LABELS = {
    "term": _("Term"),
    "milestone": _("Milestone"),
    "milestone_notes": _("Notes at this milestone"),
    "goals": _("Learning goals"),
    "note": _("Note"),
    "school_year": _("School year"),
    "school": _("School"),
    "brin": _("BRIN code"),
    "class": _("Class"),
    "groep": _("Groep"),
    "leaving": _("Leaving"),
    "first": _("1st choice"),
    "second": _("2nd choice"),
    "third": _("3rd choice"),
    "assigned": _("Assigned"),
    "assigned_by_hand": _("Chosen by hand"),
    "group": _("Lesson group"),
    "instrument": _("Instrument"),
    "teacher": _("Teacher"),
    "ensemble": _("Orchestra"),
    "kind": _("Type"),
    "status": _("Status"),
    "senior": _("Senior"),
    "since": _("Since"),
    "purpose": _("Purpose"),
    "given": _("Consent given"),
    "given_by": _("Decided by"),
    "source": _("Received by"),
    "decided_on": _("Date of the decision"),
    "recorded_at": _("Recorded"),
    "recorded_by": _("Recorded by"),
    "at": _("Time"),
    "by": _("By"),
    "action": _("Action"),
    "details": _("Details"),
    "date": _("Date"),
    "lesson": _("Lesson"),
    "attendance": _("Attendance"),
    "marked_at": _("Marked"),
}


DATE_KEYS = {"date_of_birth", "left_on", "decided_on", "date"}
TIME_KEYS = {"created_at", "pseudonymised_at", "recorded_at", "since", "at", "marked_at"}


def _labels() -> dict[str, dict]:
    """Readable names for the codes in the export (the JSON keeps the codes)."""
    from leerorkest.timetable.models import AttendanceMark

    return {
        "attendance": dict(AttendanceMark.Status.choices),
        "purpose": dict(ConsentPurpose.choices),
        "source": dict(Consent.Source.choices),
        "kind": dict(EnsembleKind.choices),
        "status": dict(EnsembleMember.Status.choices),
        "instrument": {i.code: i.name for i in InstrumentType.objects.all()},
    }


INSTRUMENT_KEYS = {"first", "second", "third", "assigned", "instrument"}


def _cell(key: str, value, labels: dict[str, dict]) -> str:
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if key in DATE_KEYS:
        return date_format(date.fromisoformat(value), "j F Y")
    if key in TIME_KEYS:
        return date_format(datetime.fromisoformat(value), "j F Y H:i")
    if key in INSTRUMENT_KEYS:
        key = "instrument"
    return str(labels.get(key, {}).get(value, value))


def tables(data: dict) -> list[dict]:
    """The export's sections as tables for the readable page."""
    labels = _labels()
    result = []
    for section in SECTIONS:
        rows = data[section.key]
        columns = list(rows[0]) if rows else []
        result.append(
            {
                "key": section.key,
                "title": section.title,
                "headers": [COLUMN_LABELS.get(c, c) for c in columns],
                "rows": [[_cell(c, row[c], labels) for c in columns] for row in rows],
            }
        )
    return result


def pupil_facts(data: dict) -> list[tuple[str, str]]:
    names = {f.name: f.verbose_name for f in Pupil._meta.concrete_fields}
    facts = []
    for name, value in data["pupil"].items():
        if name == "organisation":
            value = value["name"]
        facts.append((names.get(name, name), _cell(name, value, {})))
    return facts


def covered_models() -> set[str]:
    return {label for section in SECTIONS for label in section.models}


def build(pupil: Pupil) -> dict:
    """The whole export as plain data (JSON-ready)."""
    data = {
        "format": FORMAT,
        "exported_at": _value(timezone.now()),
        "pupil": pupil_fields(pupil),
    }
    for section in SECTIONS:
        data[section.key] = section.rows(pupil)
    return data
