"""The demo step on a small world: same seed, same result; past workshops feed training records."""

import random

from django.db.models import Count, Q

from leerorkest.academie.models import AcademieWorkshop, Registration, RegistrationStatus
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.demo.academie import WORKSHOPS, step_academie
from leerorkest.demo.build import SCALES, Demo
from leerorkest.programme.models import TrainingRecord
from leerorkest.testing import make_member, make_organisation
from tests.access_teachers import build_teacher

S = RegistrationStatus


def small_world(teacher_count=40):
    programme = make_organisation(kind=OrgKind.PROGRAMME, name="Stichting Leerorkest")
    partner = make_organisation(kind=OrgKind.PARTNER, name="Leerorkest Drechtsteden")
    make_member(programme, Role.COORDINATOR)
    teachers = []
    for index in range(teacher_count):
        user = make_member(programme, Role.TEACHER)
        teachers.append(build_teacher(programme, name=f"Docent {index}", user=user))
    for _ in range(15):
        make_member(partner, Role.TEACHER)
    demo = Demo(scale=SCALES["amsterdam"], rng=random.Random(7), password_hash="x")
    demo.organisations = {"programme": programme, partner.slug: partner}
    demo.teachers = teachers
    return demo


def summary():
    return list(
        AcademieWorkshop.objects.order_by("starts_at")
        .annotate(
            taken=Count(
                "registrations", filter=~Q(registrations__status__in=["waiting", "cancelled"])
            ),
            waiting=Count("registrations", filter=Q(registrations__status="waiting")),
        )
        .values_list("title", "taken", "waiting", "capacity")
    )


def test_the_demo_step(db):
    demo = small_world()
    step_academie(demo)
    assert AcademieWorkshop.objects.count() == len(WORKSHOPS) == 6
    rows = summary()
    assert any(taken == capacity and waiting for _t, taken, waiting, capacity in rows)
    attended = Registration.objects.filter(status=S.ATTENDED)
    assert attended.count() >= 20
    assert {r.workshop.has_started for r in attended} == {True}
    # Every attendance has its training record, linked so un-marking would remove it.
    records = TrainingRecord.objects.filter(title__startswith="Academie: ")
    assert records.count() == attended.count()
    assert all(r.training_records.count() == 1 for r in attended)
    demo_teacher = demo.teachers[0]
    assert demo_teacher.training.filter(title__startswith="Academie: ").count() == 1
    assert Registration.objects.filter(user=demo_teacher.user, status=S.WAITING).exists()
    shared = AcademieWorkshop.objects.get(open_to_all_programmes=True)
    assert shared.registrations.filter(
        user__memberships__organisation__kind=OrgKind.PARTNER
    ).exists()


def test_the_demo_step_is_deterministic(db):
    from django.db import transaction

    results = []
    for _ in range(2):
        try:
            with transaction.atomic():
                demo = small_world()
                step_academie(demo)
                first_user = demo.teachers[0].user_id  # ids differ between runs; order does not
                rows = Registration.objects.values_list("workshop__title", "user_id", "status")
                results.append((summary(), sorted((t, u - first_user, s) for t, u, s in rows)))
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert results[0] == results[1]
