"""Academie workflows. Each runs in one transaction, locks the workshop row where places are
counted (so two people never get the last place), and writes the audit trail."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.academie.models import (
    HOLDING_A_PLACE,
    AcademieWorkshop,
    Registration,
    RegistrationStatus,
    WorkshopStatus,
)
from leerorkest.academie.tasks import send_moved_up, send_workshop_cancelled
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.programme.models import Teacher, TrainingRecord

WORKSHOP_FIELDS = (
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "hours",
    "open_to_all_programmes",
    "status",
)
MARKS = (RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT, RegistrationStatus.REGISTERED)


def _locked(workshop: AcademieWorkshop) -> AcademieWorkshop:
    """The workshop row, locked until the transaction ends (a no-op lock on SQLite, where the
    IMMEDIATE transaction already serialises writers)."""
    return AcademieWorkshop.objects.select_for_update().get(pk=workshop.pk)


def _taken(workshop: AcademieWorkshop) -> int:
    return workshop.registrations.filter(status__in=HOLDING_A_PLACE).count()


def _check_details(details: dict) -> None:
    if details["ends_at"] <= details["starts_at"]:
        raise DomainError(_("The workshop must end after it starts."), field="ends_at")
    if details["capacity"] < 1:
        raise DomainError(_("A workshop has at least one place."), field="capacity")
    if details["status"] == WorkshopStatus.CANCELLED:
        raise DomainError(_("Use “Cancel workshop” to cancel it."), field="status")


@transaction.atomic
def create_workshop(*, organisation, details: dict, by) -> AcademieWorkshop:
    """A new workshop of `organisation`; `details` holds the fields of WORKSHOP_FIELDS."""
    _check_details(details)
    workshop = AcademieWorkshop.objects.create(
        organisation=organisation,
        created_by=by,
        **{name: details[name] for name in WORKSHOP_FIELDS},
    )
    audit(actor=by, action="academie.workshop_create", obj=workshop)
    return workshop


@transaction.atomic
def update_workshop(*, workshop: AcademieWorkshop, details: dict, by) -> AcademieWorkshop:
    """Saves the details. The places may not drop below the people registered; more places
    move people up from the waiting list (who get an e-mail)."""
    workshop = _locked(workshop)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise DomainError(_("This workshop was cancelled."), code="cancelled")
    _check_details(details)
    taken = _taken(workshop)
    if details["capacity"] < taken:
        raise DomainError(
            _("%(count)s people are registered already; there must be at least as many places.")
            % {"count": taken},
            field="capacity",
        )
    changed = [name for name in WORKSHOP_FIELDS if getattr(workshop, name) != details[name]]
    for name in changed:
        setattr(workshop, name, details[name])
    workshop.save()
    audit(actor=by, action="academie.workshop_update", obj=workshop, fields=changed)
    _move_up(workshop, by=by)
    return workshop


def _move_up(workshop: AcademieWorkshop, *, by) -> list[Registration]:
    """Fill free places from the waiting list, longest waiting first. Call with the row locked."""
    if workshop.status == WorkshopStatus.CANCELLED or workshop.has_started:
        return []
    free = workshop.capacity - _taken(workshop)
    if free <= 0:
        return []
    queue = list(
        workshop.registrations.filter(status=RegistrationStatus.WAITING).order_by(
            "registered_at", "pk"
        )[:free]
    )
    for registration in queue:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
        audit(
            actor=by,
            action="academie.moved_up",
            obj=registration,
            organisation=workshop.organisation_id,
        )
        pk = registration.pk
        transaction.on_commit(lambda pk=pk: send_moved_up.enqueue(pk))
    return queue


@transaction.atomic
def register(*, workshop: AcademieWorkshop, user) -> Registration:
    """Registers `user`: a place if one is free, otherwise the end of the waiting list.

    The workshop row is locked while the places are counted, so of two people asking for the
    last place at the same moment one gets it and the other waits.
    """
    workshop = _locked(workshop)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise DomainError(_("This workshop was cancelled."), code="cancelled")
    if workshop.status != WorkshopStatus.OPEN:
        raise DomainError(_("Registration for this workshop is closed."), code="closed")
    if workshop.has_started:
        raise DomainError(_("This workshop has already started."), code="started")
    existing = Registration.objects.filter(workshop=workshop, user=user).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise DomainError(_("You are registered for this workshop already."), code="registered")
    status = (
        RegistrationStatus.REGISTERED
        if _taken(workshop) < workshop.capacity
        else RegistrationStatus.WAITING
    )
    if existing is None:
        registration = Registration.objects.create(workshop=workshop, user=user, status=status)
    else:
        # Coming back after cancelling: the end of the queue, like anyone else.
        registration = existing
        registration.status = status
        registration.registered_at = timezone.now()
        registration.save(update_fields=["status", "registered_at"])
    audit(
        actor=user,
        action="academie.register",
        obj=registration,
        organisation=workshop.organisation_id,
        status=status,
    )
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, by) -> Registration:
    """Cancels a place or a place in the queue. A freed place goes to the person who has waited
    longest, who gets an e-mail."""
    workshop = _locked(registration.workshop)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
        raise DomainError(_("This registration cannot be cancelled any more."), code="final")
    if workshop.has_started:
        raise DomainError(_("This workshop has already started."), code="started")
    held_place = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    audit(
        actor=by,
        action="academie.cancel_registration",
        obj=registration,
        organisation=workshop.organisation_id,
    )
    if held_place:
        _move_up(workshop, by=by)
    registration.workshop = workshop
    return registration


@transaction.atomic
def set_attendance(*, registration: Registration, status: str, by) -> Registration:
    """Marks a participant attended or absent, or takes the mark back (`registered`).

    Attended writes one training-record row ("Academie: <title>", date, hours) on each of the
    participant's teacher profiles and remembers it; marking again adds nothing, and any other
    mark deletes exactly the rows this registration wrote.
    """
    if status not in MARKS:
        raise DomainError(_("Choose attended or absent."), field="status")
    registration = (
        Registration.objects.select_for_update().select_related("workshop").get(pk=registration.pk)
    )
    workshop = registration.workshop
    if workshop.status == WorkshopStatus.CANCELLED:
        raise DomainError(_("This workshop was cancelled."), code="cancelled")
    if not workshop.has_started:
        raise DomainError(_("Attendance is marked once the workshop has started."), code="early")
    if registration.status not in HOLDING_A_PLACE:
        raise DomainError(_("Only people with a place can be marked."), code="no_place")
    before = registration.status
    registration.status = status
    if status == RegistrationStatus.REGISTERED:
        registration.attended_marked_by = None
        registration.attended_marked_at = None
    elif status != before:
        registration.attended_marked_by = by
        registration.attended_marked_at = timezone.now()
    registration.save(update_fields=["status", "attended_marked_by", "attended_marked_at"])
    if status == RegistrationStatus.ATTENDED:
        _write_training(registration)
    else:
        TrainingRecord.objects.filter(
            pk__in=registration.training_records.values_list("pk", flat=True)
        ).delete()
    if status != before:
        audit(
            actor=by,
            action="academie.attendance",
            obj=registration,
            organisation=workshop.organisation_id,
            before=before,
            after=status,
        )
    return registration


def _write_training(registration: Registration) -> None:
    workshop = registration.workshop
    done = set(registration.training_records.values_list("teacher_id", flat=True))
    missing = Teacher.objects.filter(user_id=registration.user_id).exclude(pk__in=done)
    rows = TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                teacher=teacher,
                title=f"Academie: {workshop.title}"[:200],
                attended_on=timezone.localdate(workshop.starts_at),
                hours=workshop.hours,
            )
            for teacher in missing
        ]
    )
    if rows:
        registration.training_records.add(*rows)


@transaction.atomic
def cancel_workshop(*, workshop: AcademieWorkshop, by) -> AcademieWorkshop:
    """Cancels a workshop that has not started; everyone registered or waiting gets an e-mail."""
    workshop = _locked(workshop)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise DomainError(_("This workshop was cancelled already."), code="cancelled")
    if workshop.has_started:
        raise DomainError(_("This workshop has already started."), code="started")
    workshop.status = WorkshopStatus.CANCELLED
    workshop.save(update_fields=["status"])
    told = list(
        workshop.registrations.filter(
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
        ).values_list("user_id", flat=True)
    )
    audit(actor=by, action="academie.workshop_cancel", obj=workshop, told=len(told))
    pk = workshop.pk
    transaction.on_commit(lambda: send_workshop_cancelled.enqueue(pk, told))
    return workshop
