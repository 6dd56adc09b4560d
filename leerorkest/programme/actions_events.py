"""Workflows on partners, their contacts and agreements, and events with their checklists.

Each runs in one transaction and writes the audit log.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation, User
from leerorkest.programme.models import (
    Agreement,
    Ensemble,
    Event,
    EventTask,
    Partner,
    PartnerContact,
)

PARTNER_FIELDS = ("name", "kind", "city", "website", "notes")
CONTACT_FIELDS = ("name", "role", "email", "phone")
AGREEMENT_FIELDS = ("title", "starts_on", "ends_on", "notes")
EVENT_FIELDS = ("title", "kind", "venue", "partner", "starts_at", "ends_at", "notes")

# Every new event starts with these lines on its logistics checklist.
DEFAULT_TASKS = [
    gettext_lazy("Instrument transport"),
    gettext_lazy("Music stands"),
    gettext_lazy("Chairs"),
    gettext_lazy("Tuning room"),
    gettext_lazy("Parking for the van"),
]


def _apply(instance, details: dict, names: Iterable[str]) -> None:
    for name in names:
        if name in details:
            setattr(instance, name, details[name])


# --- Partners -----------------------------------------------------------------------------------


@transaction.atomic
def save_partner(
    *, organisation: Organisation, partner: Partner | None = None, details: dict, by: User
) -> Partner:
    """Create (partner=None) or update a partner organisation of `organisation`."""
    created = partner is None
    if created:
        partner = Partner(organisation=organisation)
    elif partner.organisation_id != organisation.pk:
        raise DomainError(_("This partner belongs to another programme."))
    _apply(partner, details, PARTNER_FIELDS)
    if not partner.name.strip():
        raise DomainError(_("Give the partner's name."), field="name")
    if partner.kind not in Partner.Kind.values:
        raise DomainError(_("Choose the kind of partner."), field="kind")
    partner.save()
    audit(actor=by, action="partner.create" if created else "partner.update", obj=partner)
    return partner


@transaction.atomic
def save_partner_contact(
    *,
    partner: Partner,
    contact: PartnerContact | None = None,
    details: dict,
    by: User,
) -> PartnerContact:
    """Add (contact=None) or change a contact person of `partner`."""
    created = contact is None
    if created:
        contact = PartnerContact(partner=partner)
    elif contact.partner_id != partner.pk:
        raise DomainError(_("This contact person belongs to another partner."))
    _apply(contact, details, CONTACT_FIELDS)
    if not contact.name.strip():
        raise DomainError(_("Give the contact person's name."), field="name")
    contact.save()
    audit(
        actor=by,
        action="partner.contact_add" if created else "partner.contact_update",
        obj=partner,
        contact_id=contact.pk,
    )
    return contact


@transaction.atomic
def remove_partner_contact(*, contact: PartnerContact, by: User) -> None:
    audit(actor=by, action="partner.contact_remove", obj=contact.partner, contact_id=contact.pk)
    contact.delete()


@transaction.atomic
def save_agreement(
    *, partner: Partner, agreement: Agreement | None = None, details: dict, by: User
) -> Agreement:
    """Record (agreement=None) or change an agreement with `partner`; it never ends before it
    starts."""
    created = agreement is None
    if created:
        agreement = Agreement(partner=partner)
    elif agreement.partner_id != partner.pk:
        raise DomainError(_("This agreement belongs to another partner."))
    _apply(agreement, details, AGREEMENT_FIELDS)
    if agreement.ends_on and agreement.starts_on and agreement.ends_on < agreement.starts_on:
        raise DomainError(_("An agreement cannot end before it starts."), field="ends_on")
    agreement.save()
    audit(
        actor=by,
        action="partner.agreement_add" if created else "partner.agreement_update",
        obj=partner,
        agreement_id=agreement.pk,
    )
    return agreement


@transaction.atomic
def remove_agreement(*, agreement: Agreement, by: User) -> None:
    partner = agreement.partner
    audit(actor=by, action="partner.agreement_remove", obj=partner, agreement_id=agreement.pk)
    agreement.delete()


# --- Events -------------------------------------------------------------------------------------


def _check_event(organisation: Organisation, event: Event, ensembles: list[Ensemble]) -> None:
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise DomainError(_("The event must end after it starts."), field="ends_at")
    if event.partner_id and event.partner.organisation_id != organisation.pk:
        raise DomainError(_("Choose one of your own partners."), field="partner")
    if any(e.organisation_id != organisation.pk for e in ensembles):
        raise DomainError(_("Choose ensembles of your own programme."), field="ensembles")


@transaction.atomic
def create_event(
    *,
    organisation: Organisation,
    details: dict,
    ensembles: Iterable[Ensemble] = (),
    by: User,
) -> Event:
    """Plan an event of `organisation` with its ensembles and the default logistics checklist
    (instrument transport, stands, chairs, tuning room, parking for the van)."""
    ensembles = list(ensembles)
    event = Event(organisation=organisation)
    _apply(event, details, EVENT_FIELDS)
    _check_event(organisation, event, ensembles)
    event.save()
    event.ensembles.set(ensembles)
    EventTask.objects.bulk_create(
        EventTask(event=event, label=str(label), position=position)
        for position, label in enumerate(DEFAULT_TASKS, start=1)
    )
    audit(actor=by, action="event.create", obj=event, ensemble_ids=[e.pk for e in ensembles])
    return event


@transaction.atomic
def update_event(*, event: Event, details: dict, ensembles: Iterable[Ensemble], by: User) -> Event:
    """Change an event's details and the ensembles taking part; its checklist stays."""
    ensembles = list(ensembles)
    _apply(event, details, EVENT_FIELDS)
    _check_event(event.organisation, event, ensembles)
    event.save()
    event.ensembles.set(ensembles)
    audit(actor=by, action="event.update", obj=event, ensemble_ids=[e.pk for e in ensembles])
    return event


@transaction.atomic
def add_event_task(*, event: Event, label: str, by: User) -> EventTask:
    """Add a line at the end of the event's checklist."""
    label = label.strip()
    if not label:
        raise DomainError(_("Describe the task."), field="label")
    last = event.tasks.aggregate(last=Max("position"))["last"] or 0
    task = EventTask.objects.create(event=event, label=label[:200], position=last + 1)
    audit(actor=by, action="event.task_add", obj=event, task_id=task.pk)
    return task


@transaction.atomic
def set_event_task_done(*, task: EventTask, done: bool, by: User) -> EventTask:
    """Tick a checklist line off (or on again). Setting, not flipping: a double click or a
    resent form leaves the line as the person meant it."""
    if task.done != done:
        task.done = done
        task.save(update_fields=["done"])
        audit(actor=by, action="event.task_done", obj=task.event, task_id=task.pk, done=done)
    return task


@transaction.atomic
def remove_event_task(*, task: EventTask, by: User) -> None:
    audit(actor=by, action="event.task_remove", obj=task.event, task_id=task.pk)
    task.delete()
