"""Demo step for loans beyond the depot's stock: loan agreement versions and who accepted them
(Drechtsteden, the demo partner, has not accepted the newest one yet), the Amsterdam
programme's loans on to its pupils (pseudonyms, signed on paper or on the tablet), inspections
of last season's returns, and a few loans overdue so the reminders have something to say."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot.models import (
    AgreementVersion,
    Condition,
    EventKind,
    Inspection,
    InstrumentEvent,
    InstrumentStatus,
    KitItem,
    Loan,
    LoanAgreement,
    Outcome,
    PupilLoan,
    SignedHow,
)
from leerorkest.depot.pupil_loans import PSEUDONYM_ALPHABET, agreement_text
from leerorkest.programme.models import InstrumentFamily

AGREEMENT = """Bruikleenovereenkomst Instrumentendepot, versie {version}

1. Het Instrumentendepot leent de instrumenten op de paklijst uit aan het programma tot de
   afgesproken datum, standaard het einde van het schooljaar.
2. Het programma mag de instrumenten doorlenen aan de kinderen die bij het programma spelen,
   met een door een ouder of verzorger ondertekende bruikleenverklaring.
3. Het programma meldt schade en verlies direct via het portaal. Reparaties doet het depot.
4. Het programma brengt de instrumenten compleet (met koffer, strijkstok of mondstuk) terug.
5. {extra}
"""
EXTRAS = {
    "2024-1": "Het depot stuurt herinneringen voor en na de inleverdatum.",
    "2025-1": "Blaasinstrumenten worden na elk kind gereinigd; het programma levert ze droog in.",
    "2026-1": "Het depot mag een instrument bij groei omruilen voor een andere maat.",
}
# A tiny drawn line as the tablet would give it (a PNG data URL).
SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAACCAYAAABllJ3tAAAAFklEQVR4nGNgYGD4"
    "z8DAwMDIgA0AAB0ABR2ZbQ0AAAAASUVORK5CYII="
)
PUPIL_SHARE = 0.7  # of the Amsterdam programme's loans received, lent on to a child


def _coordinator(organisation, role):
    membership = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.user if membership else None


def step_loans(demo) -> None:
    rng, now = demo.rng, timezone.now()
    depot = demo.organisations["depot"]
    programme = demo.organisations["programme"]
    partners = list(Organisation.objects.filter(kind=OrgKind.PARTNER).order_by("pk"))
    drechtsteden = next((p for p in partners if p.slug == "drechtsteden"), partners[0])
    staff = _coordinator(depot, Role.DEPOT_STAFF)
    season_start = datetime.combine(
        demo.years[0].starts_on, time(0), timezone.get_current_timezone()
    )

    # Agreement versions: one a year, the newest published this autumn.
    published = {
        "2024-1": now - timedelta(days=800),
        "2025-1": now - timedelta(days=420),
        "2026-1": now - timedelta(days=25),
    }
    versions = AgreementVersion.objects.bulk_create(
        [
            AgreementVersion(
                organisation=depot,
                version=version,
                text=AGREEMENT.format(version=version, extra=EXTRAS[version]),
                created_at=at - timedelta(days=10),
                created_by=staff,
                published_at=at,
            )
            for version, at in published.items()
        ]
    )
    by_version = {v.version: v for v in versions}
    acceptances = []
    for borrower in [programme, *partners]:
        user = _coordinator(
            borrower,
            Role.COORDINATOR if borrower.kind == OrgKind.PROGRAMME else Role.PARTNER_COORDINATOR,
        )
        wanted = ["2025-1"] if borrower == drechtsteden else ["2025-1", "2026-1"]
        for label in wanted:
            version = by_version[label]
            acceptances.append(
                LoanAgreement(
                    borrower=borrower,
                    agreement_version=version,
                    version=version.version,
                    text=version.text,
                    accepted_by_name=user.full_name if user else "Coördinator",
                    accepted_by=user,
                    accepted_at=version.published_at + timedelta(days=rng.randint(1, 14)),
                )
            )
    acceptances = LoanAgreement.objects.bulk_create(acceptances)
    # This season's loans were made under the 2025 agreement.
    for agreement in acceptances:
        if agreement.version == "2025-1":
            Loan.objects.filter(borrower_id=agreement.borrower_id, out_at__gte=season_start).update(
                agreement=agreement
            )

    _pupil_loans(demo, programme)
    _inspections(demo, season_start)
    _overdue(demo, programme, partners)


def _pseudonym(rng) -> str:
    return "K-" + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(7))


def _pupil_loans(demo, programme) -> None:
    rng = demo.rng
    coordinator = _coordinator(programme, Role.COORDINATOR)
    pupils = [pupil for pupil, _plan in demo.pupils]
    rng.shuffle(pupils)
    loans = list(
        Loan.objects.open()
        .filter(borrower=programme, instrument__status=InstrumentStatus.ON_LOAN)
        .select_related("instrument__instrument_type", "instrument__size", "borrower")
        .order_by("pk")
    )
    chosen = [loan for loan in loans if rng.random() < PUPIL_SHARE][: len(pupils)]
    rows, used = [], set()
    for loan, pupil in zip(chosen, pupils, strict=False):
        pseudonym = _pseudonym(rng)
        while pseudonym in used:
            pseudonym = _pseudonym(rng)
        used.add(pseudonym)
        tablet = rng.random() < 0.6
        out = loan.out_at + timedelta(days=rng.randint(2, 21))
        rows.append(
            PupilLoan(
                loan=loan,
                pupil=pupil,
                pseudonym=pseudonym,
                out_at=out,
                signed_by=pupil.parent_name or f"Ouder van {pupil.given_name}",
                signed_at=out,
                signed_how=SignedHow.TABLET if tablet else SignedHow.PAPER,
                signature=SIGNATURE if tablet else "",
                paper_confirmed_by=None if tablet else coordinator,
                agreement_text=agreement_text(loan),
                lent_by=coordinator,
            )
        )
    PupilLoan.objects.bulk_create(rows, batch_size=2000)


def _inspections(demo, season_start) -> None:
    """Last season's returns were inspected at the desk."""
    rng = demo.rng
    inspector = _coordinator(demo.organisations["depot"], Role.DEPOT_STAFF)
    returned = list(
        Loan.objects.filter(returned_at__isnull=False, returned_at__lt=season_start)
        .select_related("instrument__instrument_type", "borrower")
        .order_by("pk")
    )
    picked = [loan for loan in returned if rng.random() < 0.4]
    kits: dict[int, list[KitItem]] = {}
    for item in KitItem.objects.all():
        kits.setdefault(item.instrument_type_id, []).append(item)
    wind = {InstrumentFamily.WOODWIND, InstrumentFamily.BRASS}
    inspections, events, missing_plan = [], [], []
    for loan in picked:
        instrument = loan.instrument
        at = loan.returned_at + timedelta(minutes=2)
        condition = rng.choices(Condition.values, [3, 5, 3, 1])[0]
        outcome = (
            Outcome.REPAIR
            if condition == Condition.D
            else Outcome.CLEANING
            if instrument.instrument_type.family in wind
            else Outcome.READY
        )
        kit = kits.get(instrument.instrument_type_id, [])
        missing = [rng.choice(kit)] if kit and rng.random() < 0.1 else []
        damage = (
            rng.choice(["Kras op de bovenkant", "Losse kam", "Deuk in de beker"])
            if (condition == Condition.D)
            else ""
        )
        inspections.append(
            Inspection(
                instrument=instrument,
                loan=loan,
                condition=condition,
                damage=damage,
                outcome=outcome,
                by=inspector,
                at=at,
            )
        )
        missing_plan.append(missing)
        events.append(
            InstrumentEvent(
                instrument=instrument,
                kind=EventKind.INSPECTED,
                at=at,
                by=inspector,
                status_after=InstrumentStatus.AVAILABLE,
                organisation=loan.borrower,
                loan=loan,
                note="; ".join([condition, *(k.name for k in missing), damage]).strip("; "),
            )
        )
    inspections = Inspection.objects.bulk_create(inspections, batch_size=2000)
    through = Inspection.missing_kit.through
    through.objects.bulk_create(
        [
            through(inspection_id=inspection.pk, kititem_id=item.pk)
            for inspection, missing in zip(inspections, missing_plan, strict=True)
            for item in missing
        ]
    )
    InstrumentEvent.objects.bulk_create(events, batch_size=5000)


def _overdue(demo, programme, partners) -> None:
    """A few loans past their due date, and a few due within the week."""
    rng, today = demo.rng, timezone.localdate()
    for borrower, late, soon in [(programme, 12, 6), *[(p, 3, 2) for p in partners[:4]]]:
        ids = list(
            Loan.objects.open()
            .filter(borrower=borrower)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rng.shuffle(ids)
        for pk in ids[:late]:
            Loan.objects.filter(pk=pk).update(due_on=today - timedelta(days=rng.randint(2, 45)))
        for pk in ids[late : late + soon]:
            Loan.objects.filter(pk=pk).update(due_on=today + timedelta(days=rng.randint(1, 7)))
