"""Registering, the waiting list, moving up when a place comes free, cancelling a workshop."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from leerorkest.academie import actions
from leerorkest.academie.models import Registration, RegistrationStatus, WorkshopStatus
from leerorkest.academie.tests.builders import make_workshop
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.testing import make_member

S = RegistrationStatus


def teachers(organisation, count):
    return [make_member(organisation, Role.TEACHER) for _ in range(count)]


def test_a_place_while_there_is_one_then_the_waiting_list(personas):
    workshop = make_workshop(personas.organisation, capacity=2)
    a, b, c, d = teachers(personas.organisation, 4)
    assert actions.register(workshop=workshop, user=a).status == S.REGISTERED
    assert actions.register(workshop=workshop, user=b).status == S.REGISTERED
    assert actions.register(workshop=workshop, user=c).status == S.WAITING
    assert actions.register(workshop=workshop, user=d).status == S.WAITING
    assert AuditEvent.objects.filter(action="academie.register").count() == 4


def test_two_people_for_the_last_place_one_gets_it_the_other_waits(personas):
    """The action counts places with the workshop row locked; here the two requests for the
    last place come one right after the other, with stale copies of the workshop."""
    workshop = make_workshop(personas.organisation, capacity=1)
    stale_one, stale_two = (type(workshop).objects.get(pk=workshop.pk) for _ in range(2))
    first, second = teachers(personas.organisation, 2)
    one = actions.register(workshop=stale_one, user=first)
    two = actions.register(workshop=stale_two, user=second)
    assert [one.status, two.status] == [S.REGISTERED, S.WAITING]
    assert workshop.registrations.filter(status=S.REGISTERED).count() == 1


def test_the_lock_is_taken_on_the_workshop_row(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workshop = make_workshop(personas.organisation, capacity=1)
    with CaptureQueriesContext(connection) as queries:
        actions.register(workshop=workshop, user=personas.member)
    first_select = next(q["sql"] for q in queries if "academie_academieworkshop" in q["sql"])
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in first_select
    else:
        # SQLite: the IMMEDIATE transaction takes the write lock before the count.
        assert connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") == "IMMEDIATE"


def test_one_registration_per_person(personas):
    workshop = make_workshop(personas.organisation)
    actions.register(workshop=workshop, user=personas.member)
    with pytest.raises(DomainError) as refused:
        actions.register(workshop=workshop, user=personas.member)
    assert refused.value.code == "registered"
    assert Registration.objects.filter(workshop=workshop).count() == 1


def test_register_again_after_cancelling_joins_the_end_of_the_queue(personas):
    workshop = make_workshop(personas.organisation, capacity=1)
    a, b, c = teachers(personas.organisation, 3)
    actions.register(workshop=workshop, user=a)
    mine = actions.register(workshop=workshop, user=b)
    actions.register(workshop=workshop, user=c)
    actions.cancel_registration(registration=mine, by=b)
    again = actions.register(workshop=workshop, user=b)
    assert again.pk == mine.pk and again.status == S.WAITING
    queue = workshop.registrations.filter(status=S.WAITING).order_by("registered_at", "pk")
    assert [r.user for r in queue] == [c, b]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": WorkshopStatus.CLOSED}, "closed"),
        ({"status": WorkshopStatus.CANCELLED}, "cancelled"),
        ({"days": -1}, "started"),
    ],
)
def test_no_registration_when_closed_cancelled_or_started(personas, fields, code):
    workshop = make_workshop(personas.organisation, **fields)
    with pytest.raises(DomainError) as refused:
        actions.register(workshop=workshop, user=personas.member)
    assert refused.value.code == code
    assert not Registration.objects.exists()


def test_cancelling_a_place_moves_up_the_longest_waiting_and_emails_them(
    personas, django_capture_on_commit_callbacks
):
    workshop = make_workshop(personas.organisation, capacity=1, title="Ritme")
    holder, early, late = teachers(personas.organisation, 3)
    place = actions.register(workshop=workshop, user=holder)
    first = actions.register(workshop=workshop, user=early)
    second = actions.register(workshop=workshop, user=late)
    # Even if the later one registered in the same instant, the queue order is kept.
    Registration.objects.filter(pk=second.pk).update(registered_at=first.registered_at)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_registration(registration=place, by=holder)
    statuses = dict(workshop.registrations.values_list("user_id", "status"))
    assert statuses == {holder.pk: S.CANCELLED, early.pk: S.REGISTERED, late.pk: S.WAITING}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [early.email]
    assert "Ritme" in mail.outbox[0].subject
    assert f"/academie/workshops/{workshop.pk}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="academie.moved_up").count() == 1


def test_leaving_the_waiting_list_moves_nobody_up(personas, django_capture_on_commit_callbacks):
    workshop = make_workshop(personas.organisation, capacity=1)
    a, b, c = teachers(personas.organisation, 3)
    actions.register(workshop=workshop, user=a)
    waiting = actions.register(workshop=workshop, user=b)
    actions.register(workshop=workshop, user=c)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_registration(registration=waiting, by=b)
    assert mail.outbox == []
    assert workshop.registrations.get(user=c).status == S.WAITING


def test_no_cancelling_once_the_workshop_started(personas):
    workshop = make_workshop(personas.organisation)
    registration = actions.register(workshop=workshop, user=personas.member)
    type(workshop).objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    registration.workshop.refresh_from_db()
    with pytest.raises(DomainError):
        actions.cancel_registration(registration=registration, by=personas.member)
    assert Registration.objects.get(pk=registration.pk).status == S.REGISTERED


def test_more_places_move_people_up(personas, django_capture_on_commit_callbacks):
    workshop = make_workshop(personas.organisation, capacity=1)
    a, b, c = teachers(personas.organisation, 3)
    for user in (a, b, c):
        actions.register(workshop=workshop, user=user)
    details = {name: getattr(workshop, name) for name in actions.WORKSHOP_FIELDS}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_workshop(workshop=workshop, details={**details, "capacity": 2}, by=None)
    assert workshop.registrations.get(user=b).status == S.REGISTERED
    assert workshop.registrations.get(user=c).status == S.WAITING
    assert [m.to for m in mail.outbox] == [[b.email]]
    # Fewer places than people registered is refused.
    with pytest.raises(DomainError) as refused:
        actions.update_workshop(workshop=workshop, details={**details, "capacity": 1}, by=None)
    assert refused.value.field == "capacity"


def test_cancelling_the_workshop_emails_everyone_registered_or_waiting(
    personas, django_capture_on_commit_callbacks
):
    workshop = make_workshop(personas.organisation, capacity=1, title="Sociaal-pedagogisch werken")
    a, b, c = teachers(personas.organisation, 3)
    actions.register(workshop=workshop, user=a)
    actions.register(workshop=workshop, user=b)
    gone = actions.register(workshop=workshop, user=c)
    actions.cancel_registration(registration=gone, by=c)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_workshop(workshop=workshop, by=personas.owner)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert all("Sociaal-pedagogisch werken" in m.subject for m in mail.outbox)
    assert AuditEvent.objects.filter(action="academie.workshop_cancel", actor=personas.owner)
    with pytest.raises(DomainError):
        actions.cancel_workshop(workshop=workshop, by=personas.owner)
