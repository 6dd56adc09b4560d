"""Demo step for the workshops: three workshops with their lead and volunteers, a parts stock,
a work order for every instrument in repair (in every state, some with parts and labour), past
repairs signed off by QA, and a yearly woodwind service plan."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from leerorkest.accounts.models import User
from leerorkest.accounts.roles import Role
from leerorkest.depot.models import (
    EventKind,
    Instrument,
    InstrumentEvent,
    InstrumentStatus,
    Location,
)
from leerorkest.programme.models import InstrumentType
from leerorkest.workshop.models import (
    SKILL_FOR_FAMILY,
    LabourLine,
    MaintenancePlan,
    Part,
    PartLine,
    PartMovement,
    Skill,
    WorkOrder,
    Workshop,
    WorkshopMember,
)

WORKSHOPS = [
    ("Atelier strijkers", "Atelier strijkers", [Skill.STRINGS]),
    ("Atelier blazers", "Atelier blazers", [Skill.WOODWIND, Skill.BRASS]),
    ("Atelier slagwerk", "Atelier slagwerk", [Skill.PERCUSSION]),
]

# name, instrument code or family, kind, cost (cents), purchased, reorder level
PARTS = [
    ("Vioolsnaren (set)", "violin", "consumable", 1450, 60, 20),
    ("Altvioolsnaren (set)", "viola", "consumable", 2200, 15, 5),
    ("Cellosnaren (set)", "cello", "consumable", 4800, 25, 8),
    ("Contrabassnaren (set)", "double-bass", "consumable", 9500, 6, 3),
    ("Strijkstokbeharing", "strings", "consumable", 2500, 40, 15),
    ("Kam viool", "violin", "spare", 600, 30, 10),
    ("Kam cello", "cello", "spare", 1400, 8, 5),
    ("Stemsleutels viool (set)", "violin", "spare", 900, 12, 6),
    ("Snarenhouder met fijnstemmers", "violin", "spare", 1100, 4, 6),
    ("Kolofonium", "strings", "consumable", 450, 50, 20),
    ("Kleppolsters dwarsfluit (set)", "flute", "spare", 3800, 10, 4),
    ("Kleppolsters klarinet (set)", "clarinet", "spare", 3200, 7, 4),
    ("Klarinetrieten (doos 10)", "clarinet", "consumable", 2600, 20, 10),
    ("Hoborieten", "oboe", "consumable", 1800, 3, 6),
    ("Fagotrieten", "bassoon", "consumable", 2400, 4, 3),
    ("Kurkvet", "woodwind", "consumable", 350, 30, 10),
    ("Ventielolie", "brass", "consumable", 550, 45, 15),
    ("Trekkervet", "brass", "consumable", 600, 25, 10),
    ("Mondstuk trompet", "trumpet", "spare", 3500, 6, 3),
    ("Waterkleppen kurk (set)", "brass", "spare", 400, 40, 10),
    ("Trommelvel 14 inch", "percussion", "spare", 2900, 8, 4),
    ("Trommelvel 10 inch", "percussion", "spare", 2300, 2, 4),
    ("Stokken (paar)", "percussion", "consumable", 1200, 24, 10),
    ("Snaren harp (set)", "harp", "consumable", 12500, 3, 2),
]

FAMILIES = {"strings", "woodwind", "brass", "percussion", "plucked", "keys"}


def step_workshop(demo) -> None:
    depot = demo.organisations["depot"]
    rng, now = demo.rng, timezone.now()
    locations = {
        loc.name: loc for loc in Location.objects.filter(organisation=depot, kind="workshop")
    }
    people = User.objects.filter(memberships__organisation=depot).order_by("pk")
    leads = list(people.filter(memberships__role=Role.WORKSHOP_LEAD))
    volunteers = list(people.filter(memberships__role=Role.WORKSHOP_VOLUNTEER))
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                organisation=depot,
                name=name,
                location=locations.get(place)
                or Location.objects.create(organisation=depot, name=place, kind="workshop"),
                lead=leads[index % len(leads)] if leads else None,
                skills=skills,
            )
            for index, (name, place, skills) in enumerate(WORKSHOPS)
        ]
    )
    by_skill = {skill: w for w in workshops for skill in w.skills}
    members, crew = [], {w.pk: [] for w in workshops}
    for workshop in workshops:
        if workshop.lead:
            members.append(
                WorkshopMember(
                    workshop=workshop,
                    user=workshop.lead,
                    kind=WorkshopMember.Kind.PAID,
                    skills=workshop.skills,
                    hourly_rate_cents=3200,
                )
            )
    kinds = [WorkshopMember.Kind.VOLUNTEER] * 6 + [
        WorkshopMember.Kind.INTERN,
        WorkshopMember.Kind.PLACEMENT,
    ]
    for index, user in enumerate(volunteers):
        # The demo volunteer (the first) works with the strings, the busiest workshop.
        workshop = workshops[0] if index == 0 else workshops[index % len(workshops)]
        members.append(
            WorkshopMember(
                workshop=workshop,
                user=user,
                kind=rng.choice(kinds) if index else WorkshopMember.Kind.VOLUNTEER,
                skills=workshop.skills,
            )
        )
        crew[workshop.pk].append(user)
    WorkshopMember.objects.bulk_create(members)

    # Parts, bought in over the last year.
    types = {t.code: t for t in InstrumentType.objects.all()}
    parts = Part.objects.bulk_create(
        [
            Part(
                organisation=depot,
                name=name,
                instrument_type=types.get(target) if target not in FAMILIES else None,
                family=target if target in FAMILIES else "",
                kind=kind,
                unit_cost_cents=cost,
                # A few run low (bought fewer than the reorder level); the rest are well stocked.
                on_hand=bought if bought < reorder else bought * 8,
                reorder_level=reorder,
            )
            for name, target, kind, cost, bought, reorder in PARTS
        ]
    )
    movements = [
        PartMovement(
            part=part,
            kind=PartMovement.Kind.PURCHASE,
            quantity=part.on_hand,
            unit_cost_cents=part.unit_cost_cents,
            at=now - timedelta(days=rng.randint(30, 300)),
            note="Demo",
        )
        for part in parts
    ]
    stock = {part.pk: part for part in parts}

    def parts_for(instrument):
        family = instrument.instrument_type.family
        return [
            p
            for p in parts
            if p.instrument_type_id == instrument.instrument_type_id
            or (p.family and p.family == family)
            or (p.family == "strings" and family == "plucked")
        ]

    orders, plans_for_lines = [], []

    def plan_order(instrument, status, opened, *, assignee=None, signed=None, lead=None):
        skill = SKILL_FOR_FAMILY.get(instrument.instrument_type.family, Skill.STRINGS)
        workshop = by_skill.get(skill, workshops[0])
        orders.append(
            WorkOrder(
                organisation=depot,
                instrument=instrument,
                workshop=workshop,
                source=rng.choice(["inspection"] * 5 + ["damage_report"] * 2 + ["manual"]),
                skill=skill,
                description=rng.choice(DESCRIPTIONS[skill]),
                status=status,
                assigned_to=assignee,
                opened_at=opened,
                ready_for_qa_at=signed - timedelta(days=1)
                if signed
                else (now - timedelta(days=1) if status == "awaiting_qa" else None),
                qa_signed_by=workshop.lead if signed else None,
                qa_signed_at=signed,
                closed_at=signed,
            )
        )
        plans_for_lines.append((instrument, workshop))

    # One open order per instrument in repair, opened when it was sent.
    sent = dict(
        InstrumentEvent.objects.filter(
            instrument__organisation=depot,
            instrument__status=InstrumentStatus.IN_REPAIR,
            kind=EventKind.SENT_TO_REPAIR,
        ).values_list("instrument_id", "at")
    )
    in_repair = Instrument.objects.filter(pk__in=sent).select_related("instrument_type")
    for instrument in in_repair.order_by("pk"):
        status = rng.choices(["queued", "in_progress", "awaiting_qa"], [40, 45, 15])[0]
        skill = SKILL_FOR_FAMILY.get(instrument.instrument_type.family, Skill.STRINGS)
        team = crew.get(by_skill.get(skill, workshops[0]).pk) or volunteers[:1]
        assignee = None if status == "queued" else rng.choice(team) if team else None
        plan_order(instrument, status, sent[instrument.pk], assignee=assignee)

    # Past repairs, signed off by QA: instruments that never went out on loan since.
    past = list(
        Instrument.objects.filter(
            organisation=depot, status=InstrumentStatus.AVAILABLE, loans__isnull=True
        )
        .select_related("instrument_type")
        .order_by("pk")[:400]
    )
    events = []
    for instrument in past:
        acquired = timezone.make_aware(datetime.combine(instrument.acquired_on, time(9)))
        opened = acquired + timedelta(days=rng.randint(2, 20), hours=10)
        signed = opened + timedelta(days=rng.choice([1, 2, 3, 5, 8, 13, 21, 34]))
        if signed >= now - timedelta(days=1):
            continue
        skill = SKILL_FOR_FAMILY.get(instrument.instrument_type.family, Skill.STRINGS)
        team = crew.get(by_skill.get(skill, workshops[0]).pk) or volunteers[:1]
        plan_order(instrument, "done", opened, assignee=rng.choice(team), signed=signed)
        events += [
            InstrumentEvent(
                instrument=instrument,
                kind=EventKind.SENT_TO_REPAIR,
                at=opened,
                status_after=InstrumentStatus.IN_REPAIR,
                note="Inspection",
            ),
            InstrumentEvent(
                instrument=instrument,
                kind=EventKind.REPAIRED,
                at=signed,
                status_after=InstrumentStatus.AVAILABLE,
                note="QA signed",
            ),
        ]
    orders = WorkOrder.objects.bulk_create(orders, batch_size=1000)
    InstrumentEvent.objects.bulk_create(events, batch_size=2000)

    # Parts and labour on the orders that are being worked on or done.
    part_lines, labour_lines = [], []
    for order, (instrument, workshop) in zip(orders, plans_for_lines, strict=True):
        if order.status == "queued":
            continue
        order.hours = Decimal(0)
        for _ in range(rng.randint(1, 3)):
            worker = order.assigned_to or workshop.lead
            if worker is None:
                break
            hours = Decimal(rng.choice([1, 1.5, 2, 2.5, 3, 4])).quantize(Decimal("0.01"))
            paid = worker is not None and worker == workshop.lead
            line = LabourLine(
                work_order=order,
                worker=worker,
                worked_on=(order.opened_at + timedelta(days=1)).date(),
                hours=hours,
                paid=paid,
                rate_cents=3200 if paid else 0,
            )
            labour_lines.append(line)
            order.hours += hours
            order.labour_cost_cents += line.cost_cents
        options = [p for p in parts_for(instrument) if stock[p.pk].on_hand > 2]
        if options and rng.random() < 0.7:
            part = rng.choice(options)
            quantity = rng.randint(1, 2)
            stock[part.pk].on_hand -= quantity
            part_lines.append(
                PartLine(
                    work_order=order,
                    part=part,
                    quantity=quantity,
                    unit_cost_cents=part.unit_cost_cents,
                    added_at=order.opened_at + timedelta(days=1),
                )
            )
            movements.append(
                PartMovement(
                    part=part,
                    kind=PartMovement.Kind.USED,
                    quantity=-quantity,
                    unit_cost_cents=part.unit_cost_cents,
                    work_order=order,
                    at=order.opened_at + timedelta(days=1),
                )
            )
            order.parts_cost_cents += quantity * part.unit_cost_cents
    LabourLine.objects.bulk_create(labour_lines, batch_size=2000)
    PartLine.objects.bulk_create(part_lines, batch_size=2000)
    PartMovement.objects.bulk_create(movements, batch_size=2000)
    WorkOrder.objects.bulk_update(
        [o for o in orders if o.status != "queued"],
        ["hours", "labour_cost_cents", "parts_cost_cents"],
        batch_size=1000,
    )
    Part.objects.bulk_update(list(stock.values()), ["on_hand"])

    blazers = by_skill[Skill.WOODWIND]
    MaintenancePlan.objects.bulk_create(
        [
            MaintenancePlan(
                organisation=depot,
                family="woodwind",
                interval_months=12,
                workshop=blazers,
                skill=Skill.WOODWIND,
                description="Jaarlijkse houtblazersbeurt: kleppen, polsters, kurken.",
            ),
            MaintenancePlan(
                organisation=depot,
                family="brass",
                interval_months=24,
                workshop=blazers,
                skill=Skill.BRASS,
                description="Koperbeurt: reinigen, ventielen en trekkers.",
                is_active=False,
            ),
        ]
    )
    _past_services(demo, depot, blazers, crew.get(blazers.pk) or volunteers[:1], now)


# Share of the wind instruments serviced in the last year: running maintenance on the demo then
# opens a realistic handful of orders (the ones that slipped through), not hundreds.
SERVICED = {"woodwind": 0.94, "brass": 0.9}
SERVICE_NOTE = {
    "woodwind": "Jaarlijkse houtblazersbeurt: kleppen, polsters, kurken.",
    "brass": "Koperbeurt: reinigen, ventielen en trekkers.",
}


def _past_services(demo, depot, workshop, team, now) -> None:
    """A signed-off maintenance order within the last year for most wind instruments, written in
    bulk. The service (SENT_TO_REPAIR, then REPAIRED) goes where the instrument was on the shelf:
    after its latest event for one that is available now, or between the last two events when
    the latest took it off the shelf (a checkout, a reservation), so the latest event still
    says the instrument's status."""
    rng = demo.rng
    year_ago = now - timedelta(days=355)
    wind = Instrument.objects.filter(
        organisation=depot,
        instrument_type__family__in=list(SERVICED),
        status__in=[
            InstrumentStatus.AVAILABLE,
            InstrumentStatus.ON_LOAN,
            InstrumentStatus.IN_TRANSIT,
            InstrumentStatus.RESERVED,
            InstrumentStatus.CLEANING,
        ],
    )
    recent = set(
        WorkOrder.objects.filter(organisation=depot, qa_signed_at__gte=year_ago).values_list(
            "instrument_id", flat=True
        )
    )
    history: dict[int, list] = {}
    for instrument_id, at, status_after in (
        InstrumentEvent.objects.filter(instrument__in=wind)
        .order_by("instrument_id", "at", "pk")
        .values_list("instrument_id", "at", "status_after")
    ):
        history.setdefault(instrument_id, []).append((at, status_after))
    orders, events, plan = [], [], []
    rows = wind.order_by("pk").values_list("pk", "status", "instrument_type__family")
    for instrument_id, status, family in rows:
        events_of = history.get(instrument_id)
        if not events_of or instrument_id in recent or rng.random() >= SERVICED[family]:
            continue
        if status == InstrumentStatus.AVAILABLE:
            start, end = events_of[-1][0], now - timedelta(days=2)
        elif len(events_of) >= 2 and events_of[-2][1] == InstrumentStatus.AVAILABLE:
            start, end = events_of[-2][0], events_of[-1][0]
        else:
            continue
        start = max(start + timedelta(days=1), year_ago)
        end -= timedelta(days=1)
        days = rng.choice([1, 2, 3, 5, 8])
        room = (end - start).total_seconds() - days * 86400
        if room <= 0:
            continue
        opened = start + timedelta(seconds=rng.random() * room)
        signed = opened + timedelta(days=days)
        # The lead (paid) does a good share of the routine services; a service takes an hour or so.
        worker = rng.choice(team) if team and rng.random() < 0.6 else workshop.lead
        hours = Decimal(rng.choice([0.5, 0.75, 1, 1, 1.5])).quantize(Decimal("0.01"))
        paid = worker is not None and worker == workshop.lead
        orders.append(
            WorkOrder(
                organisation=depot,
                instrument_id=instrument_id,
                workshop=workshop,
                source=WorkOrder.Source.MAINTENANCE,
                skill=family,
                description=SERVICE_NOTE[family],
                status=WorkOrder.Status.DONE,
                assigned_to=worker,
                opened_at=opened,
                ready_for_qa_at=signed - timedelta(hours=20),
                qa_signed_by=workshop.lead,
                qa_signed_at=signed,
                closed_at=signed,
                hours=hours if worker else Decimal(0),
                labour_cost_cents=round(hours * 3200) if paid else 0,
            )
        )
        plan.append((worker, hours, paid, opened))
        events += [
            InstrumentEvent(
                instrument_id=instrument_id,
                kind=EventKind.SENT_TO_REPAIR,
                at=opened,
                status_after=InstrumentStatus.IN_REPAIR,
                note=SERVICE_NOTE[family],
            ),
            InstrumentEvent(
                instrument_id=instrument_id,
                kind=EventKind.REPAIRED,
                at=signed,
                status_after=InstrumentStatus.AVAILABLE,
                by=workshop.lead,
                note="Onderhoud, QA afgetekend.",
            ),
        ]
    orders = WorkOrder.objects.bulk_create(orders, batch_size=2000)
    InstrumentEvent.objects.bulk_create(events, batch_size=4000)
    LabourLine.objects.bulk_create(
        [
            LabourLine(
                work_order=order,
                worker=worker,
                worked_on=timezone.localtime(opened).date(),
                hours=hours,
                paid=paid,
                rate_cents=3200 if paid else 0,
            )
            for order, (worker, hours, paid, opened) in zip(orders, plan, strict=True)
            if worker is not None
        ],
        batch_size=4000,
    )


DESCRIPTIONS = {
    Skill.STRINGS: [
        "Kam omgevallen, stemmen lukt niet.",
        "Naad losgeraakt aan de onderkant.",
        "Stemsleutel slipt.",
        "Nieuwe beharing strijkstok nodig.",
        "Barst in het bovenblad.",
        "Snaren vervangen, hals controleren.",
    ],
    Skill.WOODWIND: [
        "Kleppen lekken, polsters vervangen.",
        "Kurk van de verbinding versleten.",
        "Klep zit vast.",
        "Jaarlijkse beurt.",
    ],
    Skill.BRASS: [
        "Ventiel loopt stroef.",
        "Deuk in de beker.",
        "Trekker zit vast.",
        "Mondstuk klemt.",
    ],
    Skill.PERCUSSION: [
        "Vel gescheurd.",
        "Spanschroef kapot.",
        "Standaard wiebelt.",
    ],
}
