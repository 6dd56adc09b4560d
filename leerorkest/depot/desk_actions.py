"""The desk's compound actions: return with a short inspection, the one-step size swap, and a
programme's damage report. Each runs in one transaction and is built from the actions in
`leerorkest.depot.actions`, so the events and guarantees are the same."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot import actions, signals
from leerorkest.depot.models import (
    Condition,
    EventKind,
    Inspection,
    Instrument,
    InstrumentStatus,
    KitItem,
    Loan,
    Outcome,
    PupilLoan,
)

Status = InstrumentStatus


def _summary(condition: str, missing: list[KitItem], damage: str) -> str:
    parts = [condition]
    if missing:
        parts.append(_("missing: %(items)s") % {"items": ", ".join(str(k) for k in missing)})
    if damage:
        parts.append(damage)
    return "; ".join(parts)


def _validate(condition: str, outcome: str) -> None:
    if condition not in Condition.values:
        raise DomainError(_("Choose a condition grade."), field="condition")
    if outcome not in Outcome.values:
        raise DomainError(_("Choose where the instrument goes."), field="outcome")


@transaction.atomic
def return_with_inspection(
    *,
    instrument: Instrument,
    by,
    condition: str,
    outcome: str,
    missing_kit: Iterable[KitItem] = (),
    damage: str = "",
) -> Inspection:
    """Take an instrument back and inspect it: the loan closes (RETURNED), the inspection is
    kept (INSPECTED, the instrument's condition updated) and it goes to ready, cleaning or
    repair (a work order through `send_to_repair(source="inspection")`). All or nothing."""
    _validate(condition, outcome)
    damage = (damage or "").strip()[:250]
    missing = [k for k in missing_kit if k.instrument_type_id == instrument.instrument_type_id]
    loan = actions.return_instrument(
        instrument=instrument, by=by, needs_cleaning=outcome == Outcome.CLEANING
    )
    return _inspect(
        instrument=instrument,
        loan=loan,
        by=by,
        condition=condition,
        outcome=outcome,
        missing=missing,
        damage=damage,
    )


def _inspect(*, instrument, loan, by, condition, outcome, missing, damage) -> Inspection:
    current = Instrument.objects.get(pk=instrument.pk)
    inspection = Inspection.objects.create(
        instrument=current,
        loan=loan,
        condition=condition,
        damage=damage,
        outcome=outcome,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    if missing:
        inspection.missing_kit.set(missing)
    Instrument.objects.filter(pk=current.pk).update(condition=condition)
    actions.record_event(
        instrument=current,
        kind=EventKind.INSPECTED,
        status_after=current.status,
        by=by,
        organisation=loan.borrower if loan else None,
        loan=loan,
        note=_summary(condition, missing, damage),
    )
    if outcome == Outcome.REPAIR:
        actions.send_to_repair(
            instrument=current,
            by=by,
            note=damage or _("After the return inspection."),
            source="inspection",
        )
    instrument.status = Instrument.objects.values_list("status", flat=True).get(pk=current.pk)
    instrument.condition = condition
    return inspection


@transaction.atomic
def swap_size(
    *,
    old: Instrument,
    new: Instrument,
    by,
    condition: str | None = None,
    outcome: str = Outcome.READY,
    damage: str = "",
) -> Loan:
    """Swap an instrument on loan for one of another size, for the same borrower, in one step:
    the old one comes back (quickly inspected), the new one goes out with the same due date, a
    child who had the old one now has the new one (a new pupil loan; the old one is kept,
    closed), and both instruments get a SIZE_SWAPPED event. Nothing happens if any part is
    refused."""
    if old.pk == new.pk:
        raise DomainError(_("Scan two different instruments."), field="new")
    if old.instrument_type_id != new.instrument_type_id:
        raise DomainError(
            _("%(new)s is another kind of instrument than %(old)s.")
            % {"new": new.asset_tag, "old": old.asset_tag},
            field="new",
            code="other_type",
        )
    if old.size_id == new.size_id:
        raise DomainError(
            _("%(new)s is the same size as %(old)s.")
            % {"new": new.asset_tag, "old": old.asset_tag},
            field="new",
            code="same_size",
        )
    loan = Loan.objects.select_for_update().filter(instrument=old, returned_at__isnull=True).first()
    if loan is None or Instrument.objects.get(pk=old.pk).status != Status.ON_LOAN:
        raise DomainError(
            _("%(tag)s is not on loan.") % {"tag": old.asset_tag}, field="old", code="not_on_loan"
        )
    child = PupilLoan.objects.filter(loan=loan, returned_at__isnull=True).first()
    return_with_inspection(
        instrument=old,
        by=by,
        condition=condition or old.condition,
        outcome=outcome,
        damage=damage,
    )
    new_loan = actions.checkout_instrument(
        instrument=new, borrower=loan.borrower, by=by, due_on=loan.due_on
    )
    if child is not None:
        PupilLoan.objects.create(
            loan=new_loan,
            pupil_id=child.pupil_id,
            pseudonym=child.pseudonym,
            signed_by=child.signed_by,
            signed_at=child.signed_at,
            signed_how=child.signed_how,
            signature=child.signature,
            paper_confirmed_by_id=child.paper_confirmed_by_id,
            agreement_text=child.agreement_text,
            lent_by=by if getattr(by, "is_authenticated", False) else None,
        )
    old_status = Instrument.objects.values_list("status", flat=True).get(pk=old.pk)
    actions.record_event(
        instrument=old,
        kind=EventKind.SIZE_SWAPPED,
        status_after=old_status,
        by=by,
        organisation=loan.borrower,
        loan=loan,
        note=_("Swapped for %(tag)s") % {"tag": new.asset_tag},
    )
    actions.record_event(
        instrument=new,
        kind=EventKind.SIZE_SWAPPED,
        status_after=Status.ON_LOAN,
        by=by,
        organisation=loan.borrower,
        loan=new_loan,
        note=_("In place of %(tag)s") % {"tag": old.asset_tag},
    )
    audit(
        actor=by,
        action="depot.size_swap",
        obj=new,
        organisation=new.organisation,
        old=old.pk,
        loan=new_loan.pk,
    )
    return new_loan


@transaction.atomic
def report_damage(*, loan: Loan, description: str, by) -> None:
    """A borrowing programme reports damage to an instrument it has on loan. It stays on loan
    (status unchanged); the workshops hear of it through `signals.damage_reported`."""
    description = " ".join((description or "").split())
    if len(description) < 3:
        raise DomainError(_("Describe the damage."), field="description")
    loan = Loan.objects.select_for_update().select_related("borrower").get(pk=loan.pk)
    if loan.returned_at is not None:
        raise DomainError(_("This loan is closed."), code="closed")
    instrument = Instrument.objects.select_for_update().get(pk=loan.instrument_id)
    actions.record_event(
        instrument=instrument,
        kind=EventKind.DAMAGE_REPORTED,
        status_after=instrument.status,
        by=by,
        organisation=loan.borrower,
        loan=loan,
        note=description,
    )
    signals.damage_reported.send(
        sender=Instrument,
        instrument=instrument,
        by=by,
        organisation=loan.borrower,
        description=description,
    )
    audit(
        actor=by,
        action="depot.damage_report",
        obj=instrument,
        organisation=loan.borrower,
        loan=loan.pk,
    )
