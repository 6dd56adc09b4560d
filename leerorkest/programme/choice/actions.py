"""Instrument choice workflows: entering preferences, section sizes, assignment, overrides.

Each action runs in one transaction and writes the audit log; refusals are `DomainError`s.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.choice import solver
from leerorkest.programme.models import (
    AssignmentRun,
    InstrumentChoice,
    InstrumentType,
    LessonGroup,
    SectionTarget,
)
from leerorkest.schools.models import ClassPlacement, SchoolClass, SchoolParticipation, SchoolYear

SLOTS = ("first", "second", "third")
DEFAULT_YEAR_GROUP = 5
TIME_LIMIT = 5.0  # seconds; a year group of a school solves in milliseconds


class ChoiceGridError(DomainError):
    """Some rows of the preference grid are wrong; `errors` maps pupil id to the message."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Nothing was saved: correct the marked rows."), code="invalid_rows")
        self.errors = errors


@dataclass(frozen=True)
class Scope:
    """One school's year group in one school year: what choice and assignment work on."""

    school: object
    school_year: SchoolYear
    year_group: int

    @property
    def programme(self):
        return self.school.organisation.parent

    def placements(self):
        """The pupils placed in the year group's classes, by class and name."""
        return (
            ClassPlacement.objects.filter(
                school_class__school=self.school,
                school_class__school_year=self.school_year,
                school_class__year_group=self.year_group,
                pupil__pseudonymised_at__isnull=True,
            )
            .select_related("pupil", "school_class")
            .order_by("school_class__name", "pupil__surname", "pupil__given_name", "pupil_id")
        )

    def menu(self) -> list[InstrumentType]:
        """The school's instrument menu this school year, in catalogue order."""
        return list(
            InstrumentType.objects.filter(
                pk__in=SchoolParticipation.instruments.through.objects.filter(
                    schoolparticipation__school=self.school,
                    schoolparticipation__school_year=self.school_year,
                ).values("instrumenttype_id")
            )
        )

    def class_count(self) -> int:
        return SchoolClass.objects.filter(
            school=self.school, school_year=self.school_year, year_group=self.year_group
        ).count()

    def choices(self, pupil_ids) -> dict[int, InstrumentChoice]:
        rows = InstrumentChoice.objects.filter(school_year=self.school_year, pupil_id__in=pupil_ids)
        return {c.pupil_id: c for c in rows}

    def stored_targets(self) -> dict[int, int]:
        return dict(
            SectionTarget.objects.filter(
                school=self.school, school_year=self.school_year, year_group=self.year_group
            ).values_list("instrument_id", "wanted")
        )

    def group_capacity(self) -> dict[int, int]:
        """Places in the existing lesson groups, per instrument (only instruments with groups)."""
        return dict(
            LessonGroup.objects.filter(
                school=self.school, school_year=self.school_year, year_group=self.year_group
            )
            .values("instrument_id")
            .annotate(places=Sum("max_size"))
            .values_list("instrument_id", "places")
        )


def default_targets(pupils: int, classes: int, menu: list[InstrumentType]) -> dict[int, int]:
    """The year group spread as evenly as possible over the menu.

    Each instrument holds at most its lesson-group size times the number of classes (one group
    per class); when that is too little for everyone, one more group per instrument at a time.
    """
    targets = {i.pk: 0 for i in menu}
    if not menu or pupils <= 0:
        return targets
    groups = max(1, classes)
    while sum(i.lesson_group_size for i in menu) * groups < pupils:
        groups += 1
    caps = {i.pk: i.lesson_group_size * groups for i in menu}
    order = [i.pk for i in menu]
    for _place in range(pupils):
        room = [pk for pk in order if targets[pk] < caps[pk]]
        smallest = min(room, key=lambda pk: (targets[pk], order.index(pk)))
        targets[smallest] += 1
    return targets


def section_targets(scope: Scope, menu: list[InstrumentType], pupils: int) -> dict[int, int]:
    """Wanted players per menu instrument: the stored size, or the default for the rest."""
    stored = scope.stored_targets()
    defaults = default_targets(pupils, scope.class_count(), menu) if len(stored) < len(menu) else {}
    return {i.pk: stored[i.pk] if i.pk in stored else defaults[i.pk] for i in menu}


def default_school_year(schools) -> SchoolYear | None:
    """The current school year; without one, the latest in which these schools have classes."""
    current = SchoolYear.objects.current()
    if current is not None:
        return current
    return (
        SchoolYear.objects.filter(
            pk__in=SchoolClass.objects.filter(school__in=schools).values("school_year_id")
        )
        .order_by("-starts_on")
        .first()
    )


@transaction.atomic
def save_choices(*, scope: Scope, preferences: dict[int, list[int | None]], by) -> int:
    """Store the preferences of the year group's pupils: all rows or none.

    Guarantees: only pupils placed in the year group, only instruments of the school's menu,
    no instrument twice for one child, no 2nd or 3rd choice without the ones before it. Rows
    with problems are reported together in a `ChoiceGridError`. Returns the rows changed.
    """
    placed = {p.pupil_id for p in scope.placements()}
    strangers = set(preferences) - placed
    if strangers:
        raise DomainError(_("Some pupils are not in this year group any more. Reload the page."))
    menu = {i.pk for i in scope.menu()}
    errors: dict[int, str] = {}
    for pupil_id, values in preferences.items():
        values = [*values, None, None, None][:3]
        chosen = [v for v in values if v is not None]
        if any(v not in menu for v in chosen):
            errors[pupil_id] = _("Only instruments of the school's menu can be chosen.")
        elif len(set(chosen)) != len(chosen):
            errors[pupil_id] = _("The same instrument is chosen twice.")
        elif values[: len(chosen)] != chosen:
            errors[pupil_id] = _("Fill in the choices in order: 1st, then 2nd, then 3rd.")
    if errors:
        raise ChoiceGridError(errors)

    existing = scope.choices(preferences)
    new, changed = [], []
    for pupil_id, values in preferences.items():
        first, second, third = [*values, None, None, None][:3]
        choice = existing.get(pupil_id)
        if choice is None:
            if first is not None:
                new.append(
                    InstrumentChoice(
                        pupil_id=pupil_id,
                        school_year=scope.school_year,
                        first_id=first,
                        second_id=second,
                        third_id=third,
                    )
                )
        elif (choice.first_id, choice.second_id, choice.third_id) != (first, second, third):
            choice.first_id, choice.second_id, choice.third_id = first, second, third
            changed.append(choice)
    InstrumentChoice.objects.bulk_create(new)
    InstrumentChoice.objects.bulk_update(changed, ["first", "second", "third"])
    if new or changed:
        audit(
            actor=by,
            action="instrument_choice.save",
            obj=scope.school,
            organisation=scope.programme,
            school_year=str(scope.school_year),
            year_group=scope.year_group,
            pupil_ids=sorted([c.pupil_id for c in new] + [c.pupil_id for c in changed]),
        )
    return len(new) + len(changed)


@transaction.atomic
def save_section_targets(*, scope: Scope, wanted: dict[int, int], by) -> None:
    """Store the wanted players per instrument; only menu instruments, none below zero."""
    menu = {i.pk: i for i in scope.menu()}
    if set(wanted) - set(menu):
        raise DomainError(_("Only instruments of the school's menu can have a section size."))
    for instrument_id, players in wanted.items():
        if players < 0:
            raise DomainError(_("A section size cannot be negative."), field=str(instrument_id))
        SectionTarget.objects.update_or_create(
            school=scope.school,
            school_year=scope.school_year,
            year_group=scope.year_group,
            instrument_id=instrument_id,
            defaults={"wanted": players},
        )
    audit(
        actor=by,
        action="section_targets.save",
        obj=scope.school,
        organisation=scope.programme,
        school_year=str(scope.school_year),
        year_group=scope.year_group,
        wanted={menu[pk].code: n for pk, n in sorted(wanted.items())},
    )


def capacities(scope: Scope, menu: list[InstrumentType], pupils: int) -> dict[int, int]:
    """Places per menu instrument: the section size, and no more than the existing lesson
    groups hold where an instrument has groups already."""
    targets = section_targets(scope, menu, pupils)
    groups = scope.group_capacity()
    return {pk: min(n, groups[pk]) if pk in groups else n for pk, n in targets.items()}


def run_assignment(*, scope: Scope, by, time_limit: float = TIME_LIMIT) -> AssignmentRun:
    """Assign an instrument to every pupil of the year group with CP-SAT, in one transaction.

    Guarantees: at most one instrument per child, only from the menu, no instrument above its
    capacity (see `capacities`), as many first choices as possible, then second, then third,
    then leftover places; choices a coordinator overrode stay exactly as they are. Pupils
    without a choice row get one. The counts and the solver's status go into the run's summary.
    """
    solver.prepare()  # not while holding the database's write lock
    return _run_assignment(scope=scope, by=by, time_limit=time_limit)


@transaction.atomic
def _run_assignment(*, scope: Scope, by, time_limit: float) -> AssignmentRun:
    menu = scope.menu()
    if not menu:
        raise DomainError(_("The school has no instrument menu for this school year."))
    placements = list(scope.placements())
    if not placements:
        raise DomainError(_("There are no pupils in this year group."))
    pupil_ids = [p.pupil_id for p in placements]
    existing = {
        c.pupil_id: c
        for c in InstrumentChoice.objects.select_for_update().filter(
            school_year=scope.school_year, pupil_id__in=pupil_ids
        )
    }
    capacity = capacities(scope, menu, len(placements))
    children = []
    for pupil_id in pupil_ids:
        choice = existing.get(pupil_id)
        if choice is None:
            children.append(solver.Child(id=pupil_id))
            continue
        children.append(
            solver.Child(
                id=pupil_id,
                preferences=tuple(
                    i for i in (choice.first_id, choice.second_id, choice.third_id) if i
                ),
                fixed=choice.overridden_by_id is not None,
                assigned=choice.assigned_id,
            )
        )
    result = solver.solve(solver.Instance(children, capacity), time_limit=time_limit)
    codes = {i.pk: i.code for i in menu}
    run = AssignmentRun.objects.create(
        school=scope.school,
        school_year=scope.school_year,
        year_group=scope.year_group,
        created_by=by,
        status="done",
        summary={**result.summary(), "capacity": {codes[pk]: n for pk, n in capacity.items()}},
    )
    new, changed = [], []
    for child in children:
        if child.fixed:
            continue
        assigned = result.assignment.get(child.id)
        choice = existing.get(child.id)
        if choice is None:
            new.append(
                InstrumentChoice(
                    pupil_id=child.id,
                    school_year=scope.school_year,
                    assigned_id=assigned,
                    assigned_by_run=run,
                )
            )
        else:
            choice.assigned_id = assigned
            choice.assigned_by_run = run
            changed.append(choice)
    InstrumentChoice.objects.bulk_create(new)
    InstrumentChoice.objects.bulk_update(changed, ["assigned", "assigned_by_run"])
    audit(
        actor=by,
        action="instrument_assignment.run",
        obj=run,
        organisation=scope.programme,
        school_id=scope.school.pk,
        year_group=scope.year_group,
        **{k: result.counts[k] for k in ("first", "second", "third", "none", "fixed")},
        status=result.status,
    )
    return run


@transaction.atomic
def override_choice(
    *, scope: Scope, pupil_id: int, instrument: InstrumentType | None, by, release: bool = False
) -> InstrumentChoice:
    """A coordinator sets a child's instrument by hand (None: no instrument); later runs keep it.

    With `release`, the child's instrument is left to the next run again.
    """
    if not scope.placements().filter(pupil_id=pupil_id).exists():
        raise DomainError(_("This pupil is not in this year group."))
    if instrument is not None and instrument.pk not in {i.pk for i in scope.menu()}:
        raise DomainError(
            _("Only instruments of the school's menu can be chosen."), field="assigned"
        )
    choice, _created = InstrumentChoice.objects.select_for_update().get_or_create(
        pupil_id=pupil_id, school_year=scope.school_year
    )
    previous = choice.assigned.code if choice.assigned_id else None
    if release:
        choice.overridden_by = None
        choice.save(update_fields=["overridden_by"])
        action = "instrument_choice.release"
    else:
        choice.assigned = instrument
        choice.overridden_by = by
        choice.save(update_fields=["assigned", "overridden_by"])
        action = "instrument_choice.override"
    audit(
        actor=by,
        action=action,
        obj=choice,
        organisation=scope.programme,
        pupil_id=pupil_id,
        previous=previous,
        assigned=choice.assigned.code if choice.assigned_id else None,
    )
    return choice
