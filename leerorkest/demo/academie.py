"""Demo step for the Leerorkest Academie: six workshops of the Amsterdam programme (which runs the
Expertisecentrum). Two took place, with attendance marked and training records written; the
upcoming ones have registrations, one is full with a waiting list, and one national day is open
to the partner programmes' teachers."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from leerorkest.academie.models import AcademieWorkshop, Registration, RegistrationStatus
from leerorkest.accounts.models import User
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import TrainingRecord

S = RegistrationStatus


class Plan(NamedTuple):
    title: str
    days: int  # from today; negative: it took place
    start: time
    hours: str
    capacity: int
    taken: int
    waiting: int = 0
    open_to_all: bool = False
    description: str = ""


WORKSHOPS = [
    Plan(
        "Orkestspel: samen spelen vanaf de eerste les",
        -40,
        time(9, 30),
        "3.0",
        20,
        19,
        description="Werkvormen om de groep vanaf het begin als orkest te laten spelen.",
    ),
    Plan(
        "Sociaal-pedagogisch werken in de Leerorkestles",
        -12,
        time(13, 0),
        "2.5",
        16,
        15,
        description="Een veilig klimaat, groepsvorming en wat je doet als er iets speelt.",
    ),
    Plan(
        "Ritme en puls in de groepsles",
        9,
        time(9, 30),
        "2.5",
        12,
        7,
        description="Bodypercussie, pulsspelletjes en ritmes lezen zonder noten.",
    ),
    Plan(
        "Dirigeren voor docenten",
        20,
        time(14, 0),
        "3.0",
        8,
        8,
        waiting=4,
        description="Inzetten, afslaan en een deelrepetitie leiden.",
    ),
    Plan(
        "Landelijke Academiedag: het Leerorkestconcept",
        45,
        time(10, 0),
        "5.0",
        60,
        24,
        open_to_all=True,
        description="Voor startende Leerorkesten en hun docenten, uit het hele land.",
    ),
    Plan("Improvisatie en compositie met de klas", 70, time(9, 30), "2.0", 15, 3),
]
PLACE = "Muziekcentrum Zuidoost, Amsterdam"


def _at(day, start: time):
    return timezone.make_aware(datetime.combine(day, start))


def step_academie(demo) -> None:
    programme = demo.organisations["programme"]
    rng, now = demo.rng, timezone.now()
    today = timezone.localdate()
    coordinator = (
        User.objects.filter(memberships__organisation=programme, memberships__role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )
    teachers = [t for t in demo.teachers if t.user_id]
    demo_teacher = teachers[0] if teachers else None
    partner_users = list(
        User.objects.filter(
            memberships__organisation__kind=OrgKind.PARTNER, memberships__role=Role.TEACHER
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    workshops = AcademieWorkshop.objects.bulk_create(
        [
            AcademieWorkshop(
                organisation=programme,
                title=plan.title,
                description=plan.description,
                place=PLACE,
                starts_at=_at(today + timedelta(days=plan.days), plan.start),
                ends_at=_at(today + timedelta(days=plan.days), plan.start)
                + timedelta(hours=float(plan.hours)),
                capacity=plan.capacity,
                hours=Decimal(plan.hours),
                open_to_all_programmes=plan.open_to_all,
                created_by=coordinator,
                created_at=now - timedelta(days=30 + max(0, -plan.days)),
            )
            for plan in WORKSHOPS
        ]
    )
    registrations: list[Registration] = []
    others = [t.user_id for t in teachers if t is not demo_teacher]
    for index, (workshop, plan) in enumerate(zip(workshops, WORKSHOPS, strict=True)):
        wanted = plan.taken + plan.waiting
        people = rng.sample(others, k=min(wanted, len(others)))
        if demo_teacher is not None and index in (0, 2):
            # The demo teacher attended the first workshop and is registered for the third...
            people = [demo_teacher.user_id, *people[:-1]]
        elif demo_teacher is not None and index == 3:
            # ...and is last in the queue of the full one.
            people = [*people[:-1], demo_teacher.user_id]
        if plan.open_to_all:
            # Half of the national day's places go to partner programmes' teachers.
            half = plan.taken // 2
            guests = [u for u in partner_users if u not in people[:half]]
            people = people[:half] + guests[: plan.taken - half]
        is_past = workshop.starts_at < now
        for position, user_id in enumerate(people):
            status = S.WAITING
            if position < plan.taken:
                status = S.REGISTERED
                if is_past:
                    status = S.ABSENT if position % 9 == 8 else S.ATTENDED
            registrations.append(
                Registration(
                    workshop=workshop,
                    user_id=user_id,
                    status=status,
                    registered_at=workshop.created_at + timedelta(hours=3 + position * 5),
                    attended_marked_by=coordinator if is_past else None,
                    attended_marked_at=workshop.ends_at + timedelta(hours=1) if is_past else None,
                )
            )
        # Someone who cancelled in time, for the participants page of a past workshop.
        spare = next((u for u in others if u not in people), None)
        if is_past and spare is not None:
            registrations.append(
                Registration(
                    workshop=workshop,
                    user_id=spare,
                    status=S.CANCELLED,
                    registered_at=workshop.created_at + timedelta(hours=1),
                )
            )
    Registration.objects.bulk_create(registrations)
    by_user = {t.user_id: t for t in teachers}
    records, links = [], []
    for registration in registrations:
        if registration.status != S.ATTENDED or registration.user_id not in by_user:
            continue
        workshop = registration.workshop
        records.append(
            TrainingRecord(
                teacher=by_user[registration.user_id],
                title=f"Academie: {workshop.title}",
                attended_on=timezone.localdate(workshop.starts_at),
                hours=workshop.hours,
            )
        )
        links.append(registration)
    TrainingRecord.objects.bulk_create(records)
    Through = Registration.training_records.through
    Through.objects.bulk_create(
        [
            Through(registration_id=registration.pk, trainingrecord_id=record.pk)
            for registration, record in zip(links, records, strict=True)
        ]
    )
