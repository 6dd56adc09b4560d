"""Workflows on schools, classes and pupils. Each runs in one transaction and is audited."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.schools.models import (
    ClassPlacement,
    Pupil,
    Rollover,
    School,
    SchoolClass,
    SchoolParticipation,
    SchoolYear,
)

PUPIL_FIELDS = [
    "given_name",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "parent_name",
    "parent_phone",
    "parent_email",
    "secondary_school",
]


def next_class_name(name: str, year_group: int) -> str:
    """The class's name one groep up: "5B" → "6B", "groep 5" → "groep 6"; else "6 (name)"."""
    match = re.search(rf"(?<!\d){year_group}(?!\d)", name)
    if match:
        return name[: match.start()] + str(year_group + 1) + name[match.end() :]
    return f"{year_group + 1} ({name})"[:20]


def rollover_deadline(rollover_or_school: Rollover | School, to_year: SchoolYear):
    """The first school day of the new year in the school's region: undo is possible before."""
    school = getattr(rollover_or_school, "school", rollover_or_school)
    return to_year.first_school_day(school.holiday_region)


@transaction.atomic
def roll_over_school(
    *,
    school: School,
    from_year: SchoolYear,
    by,
    secondary_schools: dict[int, str] | None = None,
) -> Rollover:
    """Move a school on to the next school year: every class and pupil one groep up, groep 8
    marked as leaving (with the secondary school when known), the participation copied.

    Nothing is deleted; the Rollover row records everything that was created or changed, so
    `undo_rollover` restores the state before exactly, until the new year's first school day.
    Refused when the new year already has classes at this school.
    """
    to_year = from_year.next()
    if SchoolClass.objects.filter(school=school, school_year=to_year).exists():
        raise DomainError(
            _("%(school)s already has classes in %(year)s.") % {"school": school, "year": to_year}
        )
    classes = list(
        SchoolClass.objects.filter(school=school, school_year=from_year).order_by(
            "year_group", "name"
        )
    )
    if not classes:
        raise DomainError(
            _("%(school)s has no classes in %(year)s to move on.")
            % {"school": school, "year": from_year}
        )
    secondary_schools = secondary_schools or {}
    record = {"classes": [], "placements": [], "leavers": [], "participation": None}
    moved = left = 0
    for old in classes:
        placements = list(old.placements.select_related("pupil"))
        if old.year_group >= 8:
            for placement in placements:
                pupil = placement.pupil
                record["leavers"].append(
                    {
                        "pupil": pupil.pk,
                        "left_on": pupil.left_on.isoformat() if pupil.left_on else None,
                        "secondary_school": pupil.secondary_school,
                        "placement": placement.pk,
                        "was_leaving": placement.is_leaving,
                    }
                )
                pupil.left_on = from_year.ends_on
                pupil.secondary_school = (
                    secondary_schools.get(pupil.pk, "").strip() or pupil.secondary_school
                )
                pupil.save(update_fields=["left_on", "secondary_school"])
                if not placement.is_leaving:
                    placement.is_leaving = True
                    placement.save(update_fields=["is_leaving"])
                left += 1
            continue
        new = SchoolClass.objects.create(
            school=school,
            school_year=to_year,
            year_group=old.year_group + 1,
            name=next_class_name(old.name, old.year_group),
        )
        record["classes"].append(new.pk)
        created = ClassPlacement.objects.bulk_create(
            [
                ClassPlacement(pupil=p.pupil, school_class=new, school_year=to_year)
                for p in placements
                if p.pupil.left_on is None
            ]
        )
        record["placements"] += [p.pk for p in created]
        moved += len(created)
    previous = SchoolParticipation.objects.filter(school=school, school_year=from_year).first()
    if (
        previous
        and not SchoolParticipation.objects.filter(school=school, school_year=to_year).exists()
    ):
        copy = SchoolParticipation.objects.create(
            school=school,
            school_year=to_year,
            year_groups=previous.year_groups,
            music_day=previous.music_day,
            day_starts_at=previous.day_starts_at,
            day_ends_at=previous.day_ends_at,
            agreed_lessons=previous.agreed_lessons,
            notes=previous.notes,
        )
        copy.instruments.set(previous.instruments.all())
        record["participation"] = copy.pk
    rollover = Rollover.objects.create(
        school=school, from_year=from_year, to_year=to_year, performed_by=by, record=record
    )
    audit(
        actor=by,
        action="school.rollover",
        obj=school.organisation,
        to_year=str(to_year),
        moved=moved,
        leaving=left,
    )
    return rollover


@transaction.atomic
def undo_rollover(*, rollover: Rollover, by) -> None:
    """Restore the state before a rollover. Refused once the new year's first school day has
    come, or when something was added to the new year's classes since (it would be lost)."""
    rollover = Rollover.objects.select_for_update().get(pk=rollover.pk)
    if rollover.undone_at is not None:
        raise DomainError(_("This move to the new year was already undone."))
    deadline = rollover_deadline(rollover, rollover.to_year)
    if deadline is not None and timezone.localdate() >= deadline:
        raise DomainError(
            _("The new school year has started (%(date)s); the move can no longer be undone.")
            % {"date": deadline.strftime("%d-%m-%Y")},
            code="school_year_started",
        )
    record = rollover.record
    classes = SchoolClass.objects.filter(pk__in=record["classes"])
    extra = ClassPlacement.objects.filter(school_class__in=classes).exclude(
        pk__in=record["placements"]
    )
    if extra.exists():
        raise DomainError(
            _(
                "Pupils were added to the new year's classes after the move; undoing would "
                "remove them. Move them out first."
            )
        )
    ClassPlacement.objects.filter(pk__in=record["placements"]).delete()
    classes.delete()
    if record.get("participation"):
        SchoolParticipation.objects.filter(pk=record["participation"]).delete()
    for leaver in record["leavers"]:
        Pupil.objects.filter(pk=leaver["pupil"]).update(
            left_on=leaver["left_on"], secondary_school=leaver["secondary_school"]
        )
        ClassPlacement.objects.filter(pk=leaver["placement"]).update(
            is_leaving=leaver["was_leaving"]
        )
    rollover.undone_at = timezone.now()
    rollover.save(update_fields=["undone_at"])
    audit(
        actor=by,
        action="school.rollover_undo",
        obj=rollover.school.organisation,
        to_year=str(rollover.to_year),
    )


@transaction.atomic
def update_pupil(*, pupil: Pupil, by, **values) -> Pupil:
    """Change a pupil's record; only the fields of PUPIL_FIELDS, and an audit row naming them."""
    changed = [f for f in PUPIL_FIELDS if f in values and getattr(pupil, f) != values[f]]
    for name in changed:
        setattr(pupil, name, values[name])
    if changed:
        pupil.save(update_fields=changed)
        audit(actor=by, action="pupil.update", obj=pupil, fields=changed)
    return pupil


@transaction.atomic
def save_participation(*, participation: SchoolParticipation, instruments, by):
    """Save a school's participation for a year with its instrument menu, in one go."""
    participation.full_clean()
    participation.save()
    participation.instruments.set(instruments)
    audit(
        actor=by,
        action="school.participation",
        obj=participation.school.organisation,
        school_year=str(participation.school_year),
    )
    return participation
