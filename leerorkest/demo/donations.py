"""Demo step for donations: donors, and several years of donations whose items are linked to the
instruments that came in as donations on that day (a realistic share of them), plus items that
went to parts or scrap and a few recent donations still to be assessed."""

from datetime import timedelta

from django.utils import timezone

from leerorkest.demo import data
from leerorkest.depot.models import Instrument, Location
from leerorkest.donations.models import Donation, DonationItem, Donor
from leerorkest.programme.models import InstrumentType

ORGANISATION_DONORS = [
    "Muziekschool De Notenbalk",
    "Harmonie Excelsior",
    "Fanfare Kunst na Arbeid",
    "Stichting Muziek voor Iedereen",
    "Rotary Club Amstel",
    "Kamerorkest Zuid",
    "Muziekhandel Van Dam",
    "Conservatorium Amsterdam",
]
LEFTOVERS = [
    ("Vioolkist zonder viool", "parts_only"),
    ("Klarinet met gebroken boventrap", "parts_only"),
    ("Trompet, zwaar gedeukt", "scrap"),
    ("Gitaar met gescheurde klankkast", "scrap"),
    ("Doos met snaren en kammen", "parts_only"),
    ("Blokfluit", "scrap"),
]


def step_donations(demo) -> None:
    depot = demo.organisations["depot"]
    rng, today = demo.rng, timezone.localdate()
    intake = list(
        depot.memberships.filter(role__in=["depot_staff", "workshop_volunteer"])
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    entrance = Location.objects.filter(organisation=depot, kind="shelf").order_by("pk").first()

    donors = []
    for name in ORGANISATION_DONORS:
        slug = name.lower().replace(" ", "-")
        donors.append(
            Donor(
                organisation=depot,
                kind=Donor.Kind.ORGANISATION,
                name=name,
                email=f"info@{slug}.example",
                consent_thanks=True,
                consent_named=rng.random() < 0.8,
            )
        )
    for index in range(160):
        name = demo.person()
        donors.append(
            Donor(
                organisation=depot,
                kind=Donor.Kind.PERSON,
                name=name,
                email=f"donateur{index + 1}@{demo.domain}" if rng.random() < 0.7 else "",
                phone=f"06{rng.randint(10000000, 99999999)}" if rng.random() < 0.4 else "",
                postal_address=f"{rng.choice(data.STREETS)} {rng.randint(1, 200)}\nAmsterdam",
                consent_thanks=rng.random() < 0.75,
                consent_named=rng.random() < 0.35,
            )
        )
    donors = Donor.objects.bulk_create(donors)
    regulars = donors[: len(ORGANISATION_DONORS)]
    # One donor asked to be erased: a number instead of a name, no contact details.
    erased = donors[-1]
    Donor.objects.filter(pk=erased.pk).update(
        name=erased.audit_label,
        email="",
        phone="",
        postal_address="",
        consent_thanks=False,
        consent_named=False,
        erased_at=timezone.now() - timedelta(days=40),
    )

    # The donated instruments, grouped by the day they came in; about half of those days are
    # recorded as donations in the system (the rest predate it or came without paperwork).
    by_day: dict = {}
    donated = Instrument.objects.filter(organisation=depot, acquired_via="donation").order_by(
        "acquired_on", "pk"
    )
    for instrument in donated.select_related("instrument_type", "size"):
        by_day.setdefault(instrument.acquired_on, []).append(instrument)
    donations, plans = [], []
    for day, instruments in by_day.items():
        if rng.random() > 0.5:
            continue
        for start in range(0, len(instruments), 4):
            chunk = instruments[start : start + 4]
            donor = rng.choice(regulars) if rng.random() < 0.2 else rng.choice(donors)
            donations.append(
                Donation(
                    organisation=depot,
                    donor=donor,
                    received_on=day,
                    location=entrance,
                    intake_by_id=rng.choice(intake) if intake else None,
                    thanked_at=timezone.now() - timedelta(days=(today - day).days - 7)
                    if donor.email and donor.consent_thanks and (today - day).days > 8
                    else None,
                )
            )
            plans.append(chunk)
    # Recent donations still waiting for the workshop's assessment.
    kinds = list(InstrumentType.objects.filter(code__in=["violin", "cello", "flute", "trumpet"]))
    for days_ago in (2, 5, 9):
        donations.append(
            Donation(
                organisation=depot,
                donor=rng.choice(donors),
                received_on=today - timedelta(days=days_ago),
                location=entrance,
                intake_by_id=intake[0] if intake else None,
                note="Afgegeven bij de balie.",
            )
        )
        plans.append(None)
    donations = Donation.objects.bulk_create(donations, batch_size=1000)

    items = []
    for donation, chunk in zip(donations, plans, strict=True):
        if chunk is None:
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(kinds)
                items.append(
                    DonationItem(
                        donation=donation,
                        description=kind.name_nl,
                        instrument_type=kind,
                        make=rng.choice(["Yamaha", "Stentor", ""]),
                    )
                )
            continue
        for instrument in chunk:
            items.append(
                DonationItem(
                    donation=donation,
                    description=instrument.instrument_type.name_nl,
                    instrument_type=instrument.instrument_type,
                    size=instrument.size,
                    make=instrument.make,
                    model_name=instrument.model_name,
                    serial=instrument.serial,
                    assessment=rng.choice(["playable"] * 4 + ["needs_repair"]),
                    assessed_at=timezone.now()
                    - timedelta(days=(today - donation.received_on).days),
                    instrument=instrument,
                )
            )
        if rng.random() < 0.15:
            description, assessment = rng.choice(LEFTOVERS)
            items.append(
                DonationItem(donation=donation, description=description, assessment=assessment)
            )
    DonationItem.objects.bulk_create(items, batch_size=2000)
