"""Donation intake, assessment and the thank-you. Instruments come into the depot through
`leerorkest.depot.actions.acquire_instrument` only; each function runs in one transaction."""

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.depot import actions as depot_actions
from leerorkest.depot.models import Condition, Instrument, Loan, PupilLoan
from leerorkest.donations.models import Donation, DonationItem, Donor
from leerorkest.workshop import access
from leerorkest.workshop import parts as workshop_parts
from leerorkest.workshop.members import is_depot_staff

Assessment = DonationItem.Assessment
TAG = re.compile(r"^LO-(\d+)$")
TAG_PREFIX = "LO-"


def next_asset_tag() -> str:
    """The next free asset tag in the depot's series (LO-00001, LO-00002…)."""
    highest = (
        Instrument.objects.filter(asset_tag__regex=r"^LO-[0-9]+$")
        .annotate(length=Length("asset_tag"))
        .order_by("-length", "-asset_tag")
        .values_list("asset_tag", flat=True)
        .first()
    )
    number = int(TAG.match(highest).group(1)) if highest else 0
    return f"{TAG_PREFIX}{number + 1:05d}"


def _working(by, organisation: Organisation) -> None:
    if not access.work_depots(by).filter(pk=organisation.pk).exists():
        raise DomainError(_("You do not work for this depot."), code="not_allowed")


def _managing(by, organisation_id: int) -> None:
    if not access.can_manage(by, organisation_id):
        raise DomainError(
            _("Only the depot's staff and workshop leads assess donations."), code="not_allowed"
        )


@transaction.atomic
def register_donation(
    *,
    organisation: Organisation,
    by,
    items: list[dict],
    donor: Donor | None = None,
    new_donor: dict | None = None,
    received_on: date | None = None,
    location=None,
    note: str = "",
) -> Donation:
    """Record what arrived: the donor (known or new) and one row per item, all pending."""
    _working(by, organisation)
    if not items:
        raise DomainError(_("Add at least one item."), code="no_items")
    if donor is None:
        if not new_donor or not new_donor.get("name"):
            raise DomainError(_("Choose a donor or enter a new one."), code="no_donor")
        donor = Donor.objects.create(organisation=organisation, **new_donor)
    elif donor.organisation_id != organisation.pk:
        raise DomainError(_("That donor belongs to another depot."), code="wrong_donor")
    elif donor.is_erased:
        raise DomainError(_("That donor was erased; register them as a new donor."), code="erased")
    if location is not None and location.organisation_id != organisation.pk:
        raise DomainError(_("That place belongs to another organisation."), code="wrong_location")
    donation = Donation.objects.create(
        organisation=organisation,
        donor=donor,
        received_on=received_on or timezone.localdate(),
        location=location,
        intake_by=by if getattr(by, "is_authenticated", False) else None,
        note=note,
    )
    DonationItem.objects.bulk_create([DonationItem(donation=donation, **item) for item in items])
    audit(actor=by, action="donations.intake", obj=donation, items=len(items))
    return donation


def _acquire(item: DonationItem, *, by, fields: dict) -> Instrument:
    donation = item.donation
    # The instrument's history is append-only and shown beyond the depot: never a donor's name
    # there (it could not be erased); the donation panel names them while they consent.
    note = _("Donation #%(pk)s of %(date)s.") % {
        "pk": donation.pk,
        "date": donation.received_on.isoformat(),
    }
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return depot_actions.acquire_instrument(
                    by=by,
                    note=note,
                    organisation_id=donation.organisation_id,
                    asset_tag=next_asset_tag(),
                    acquired_via=Instrument.Acquired.DONATION,
                    acquired_on=donation.received_on,
                    location=donation.location,
                    make=item.make,
                    model_name=item.model_name,
                    serial=item.serial,
                    **fields,
                )
        except IntegrityError:
            continue  # someone took the same tag a moment ago: take the next one
    raise DomainError(_("No free asset tag; try again."), code="no_tag")


@transaction.atomic
def assess_item(
    *,
    item: DonationItem,
    assessment: str,
    by,
    instrument_type=None,
    size=None,
    condition: str = Condition.B,
    value_cents: int = 0,
    parts: list | None = None,
    note: str = "",
) -> DonationItem:
    """Playable: it joins the stock as an instrument. Needs repair: it joins the stock and goes
    straight to the workshop. Parts only: the usable parts go into the parts stock. Scrap: only
    recorded. An item is assessed once."""
    item = (
        DonationItem.objects.select_for_update().select_related("donation__donor").get(pk=item.pk)
    )
    _managing(by, item.donation.organisation_id)
    if item.assessment != Assessment.PENDING:
        raise DomainError(_("This item has been assessed already."), code="assessed")
    if assessment not in Assessment.values or assessment == Assessment.PENDING:
        raise DomainError(_("Choose an assessment."), code="invalid", field="assessment")
    instrument_type = instrument_type or item.instrument_type
    if assessment in (Assessment.PLAYABLE, Assessment.NEEDS_REPAIR):
        if instrument_type is None:
            raise DomainError(
                _("Which instrument is it? Choose one to add it to the stock."),
                code="no_type",
                field="instrument_type",
            )
        size = size or item.size
        if size is not None and size.instrument_type_id != instrument_type.pk:
            raise DomainError(_("That size is for another instrument."), field="size")
        instrument = _acquire(
            item,
            by=by,
            fields={
                "instrument_type": instrument_type,
                "size": size,
                "condition": Condition.D if assessment == Assessment.NEEDS_REPAIR else condition,
                "value_cents": value_cents,
            },
        )
        if assessment == Assessment.NEEDS_REPAIR:
            depot_actions.send_to_repair(
                instrument=instrument,
                by=by,
                note=note or _("Donated; needs repair before it can be lent."),
                source="inspection",
            )
        item.instrument = instrument
        item.instrument_type, item.size = instrument_type, size
    elif assessment == Assessment.PARTS_ONLY and parts:
        workshop_parts.harvest_parts(
            parts=parts,
            by=by,
            organisation_id=item.donation.organisation_id,
            note=_("From donation #%(pk)s: %(what)s")
            % {"pk": item.donation_id, "what": item.description},
        )
    item.assessment = assessment
    item.assessed_at = timezone.now()
    item.assessed_by = by if getattr(by, "is_authenticated", False) else None
    item.save()
    audit(actor=by, action="donations.assessed", obj=item.donation, assessment=assessment)
    return item


def reach(donation: Donation) -> dict:
    """What the donation became: instruments in the stock, the children who took them home
    (distinct pseudonyms of the loans to children) and the programmes they went to."""
    instruments = Instrument.objects.filter(donation_item__donation=donation)
    loans = Loan.objects.filter(instrument__in=instruments)
    children = PupilLoan.objects.filter(loan__in=loans).values("pseudonym").distinct().count()
    programmes = list(
        Organisation.objects.filter(loans_in__in=loans)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    return {
        "instruments": instruments.count(),
        "children": children,
        "programmes": programmes,
    }


def can_email_thanks(donation: Donation) -> bool:
    return bool(donation.donor.email and donation.donor.consent_thanks)


@transaction.atomic
def send_thanks(*, donation: Donation, by) -> None:
    """E-mail the thank-you (by the task worker); only with an address and the donor's
    consent to be thanked."""
    _managing(by, donation.organisation_id)
    if not can_email_thanks(donation):
        raise DomainError(
            _("The donor has no e-mail address or did not want to be thanked."),
            code="no_consent",
        )
    from leerorkest.donations.tasks import send_thank_you

    audit(actor=by, action="donations.thanked", obj=donation)
    transaction.on_commit(lambda: send_thank_you.enqueue(donation.pk))


DONOR_FIELDS = (
    "kind",
    "name",
    "email",
    "phone",
    "postal_address",
    "consent_thanks",
    "consent_named",
    "notes",
)


@transaction.atomic
def update_donor(*, donor: Donor, by, **fields) -> Donor:
    """Change a donor's details or consent (the donor's own wish, kept up to date)."""
    _managing(by, donor.organisation_id)
    if donor.is_erased:
        raise DomainError(_("This donor was erased; their details stay empty."), code="erased")
    for name in DONOR_FIELDS:
        if name in fields:
            setattr(donor, name, fields[name])
    donor.save()
    audit(actor=by, action="donations.donor_changed", obj=donor, organisation=donor.organisation_id)
    return donor


@transaction.atomic
def erase_donor(*, donor: Donor, by) -> Donor:
    """Erase a donor on their request: the name becomes "Donor #id", contact details, notes and
    consent are cleared. Their donations and items stay (the instruments say "a private donor").
    Irreversible; depot staff only. The audit row is written after the change, so it names the
    pseudonym only."""
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    if not is_depot_staff(by, donor.organisation_id):
        raise DomainError(_("Only the depot's staff erase a donor."), code="not_allowed")
    if donor.is_erased:
        raise DomainError(_("This donor was erased already."), code="already_erased")
    donor.name = donor.audit_label
    donor.email = donor.phone = donor.postal_address = donor.notes = ""
    donor.consent_thanks = donor.consent_named = False
    donor.erased_at = timezone.now()
    donor.save()
    audit(
        actor=by,
        action="donations.donor_erased",
        obj=donor,
        organisation=donor.organisation_id,
        donations=donor.donations.count(),
    )
    return donor
