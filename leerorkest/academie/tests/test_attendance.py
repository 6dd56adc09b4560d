"""Attendance: one tap per person, written to the training record exactly once."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from leerorkest.academie import actions
from leerorkest.academie.models import Registration, RegistrationStatus
from leerorkest.academie.tests.builders import make_registration, make_workshop
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import OrgKind
from leerorkest.programme.models import TrainingRecord
from leerorkest.testing import make_organisation
from tests.access_teachers import build_teacher

S = RegistrationStatus
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def past_workshop(personas, **fields):
    return make_workshop(
        personas.organisation,
        title="Orkestspel",
        starts_at=datetime(2025, 3, 12, 9, 30, tzinfo=AMSTERDAM),
        hours=Decimal("3.0"),
        **fields,
    )


def mark(registration, status, by):
    return actions.set_attendance(registration=registration, status=status, by=by)


def test_attended_writes_the_training_record_once(personas):
    teacher = build_teacher(personas.organisation, user=personas.member)
    registration = make_registration(past_workshop(personas), personas.member)
    mark(registration, S.ATTENDED, personas.owner)
    mark(registration, S.ATTENDED, personas.owner)  # a second tap, or a retry
    [record] = TrainingRecord.objects.filter(teacher=teacher)
    assert (record.title, record.attended_on, record.hours) == (
        "Academie: Orkestspel",
        date(2025, 3, 12),
        Decimal("3.0"),
    )
    registration.refresh_from_db()
    assert registration.status == S.ATTENDED
    assert registration.attended_marked_by == personas.owner
    assert registration.attended_marked_at is not None
    assert AuditEvent.objects.filter(action="academie.attendance").count() == 1


def test_unmarking_removes_the_record_and_remarking_writes_one_again(personas):
    teacher = build_teacher(personas.organisation, user=personas.member)
    own = TrainingRecord.objects.create(
        teacher=teacher, title="Een eigen cursus", attended_on=date(2024, 1, 1), hours=2
    )
    registration = make_registration(past_workshop(personas), personas.member)
    for status in (S.ATTENDED, S.REGISTERED, S.ATTENDED, S.ABSENT, S.ATTENDED, S.ATTENDED):
        mark(registration, status, personas.owner)
        expected = 1 if status == S.ATTENDED else 0
        assert TrainingRecord.objects.filter(title="Academie: Orkestspel").count() == expected
    # The record the office typed in by hand is never touched.
    assert TrainingRecord.objects.filter(pk=own.pk).exists()
    mark(registration, S.REGISTERED, personas.owner)
    registration.refresh_from_db()
    assert registration.attended_marked_by is None
    assert list(TrainingRecord.objects.filter(teacher=teacher)) == [own]


def test_every_teacher_profile_of_the_person_gets_the_record(personas):
    other = make_organisation(kind=OrgKind.PARTNER, name="Leerorkest Drechtsteden")
    here = build_teacher(personas.organisation, user=personas.member)
    there = build_teacher(other, user=personas.member)
    someone_else = build_teacher(personas.organisation, name="Iemand Anders")
    registration = make_registration(past_workshop(personas), personas.member)
    mark(registration, S.ATTENDED, personas.owner)
    assert set(TrainingRecord.objects.values_list("teacher_id", flat=True)) == {here.pk, there.pk}
    assert not someone_else.training.exists()
    assert registration.training_records.count() == 2


def test_a_person_without_teacher_profile_gets_no_record_but_a_certificate(personas):
    registration = make_registration(past_workshop(personas), personas.owner)
    mark(registration, S.ATTENDED, personas.owner)
    assert not TrainingRecord.objects.exists()
    assert Registration.objects.get(pk=registration.pk).status == S.ATTENDED


@pytest.mark.parametrize(
    ("days", "status", "code"),
    [(7, S.REGISTERED, "early"), (-7, S.WAITING, "no_place"), (-7, S.CANCELLED, "no_place")],
)
def test_only_people_with_a_place_once_it_started(personas, days, status, code):
    registration = make_registration(
        make_workshop(personas.organisation, days=days), personas.member, status
    )
    with pytest.raises(DomainError) as refused:
        mark(registration, S.ATTENDED, personas.owner)
    assert refused.value.code == code
    assert Registration.objects.get(pk=registration.pk).status == status


def test_one_tap_with_htmx_answers_the_row(client, personas):
    build_teacher(personas.organisation, user=personas.member)
    registration = make_registration(past_workshop(personas), personas.member)
    client.force_login(personas.owner)
    url = reverse("academie:attendance", args=[registration.pk])
    response = client.post(url, {"status": "attended"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="registration-{registration.pk}"')
    assert 'aria-pressed="true"' in html
    assert TrainingRecord.objects.count() == 1
    # Tapping the pressed button takes the mark back.
    assert 'name="status" value="registered"' in html
    client.post(url, {"status": "registered"}, headers={"HX-Request": "true"})
    assert TrainingRecord.objects.count() == 0
    # A refusal comes back in the row, with 200 so htmx swaps it in.
    response = client.post(url, {"status": "bogus"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_without_htmx_the_form_goes_back_to_the_participants(client, personas):
    registration = make_registration(past_workshop(personas), personas.member)
    client.force_login(personas.owner)
    response = client.post(
        reverse("academie:attendance", args=[registration.pk]), {"status": "absent"}
    )
    assert response.status_code == 302
    assert response.url == reverse("academie:participants", args=[registration.workshop_id])
    assert Registration.objects.get(pk=registration.pk).status == S.ABSENT


def test_a_teacher_cannot_mark_attendance(client, personas):
    registration = make_registration(past_workshop(personas), personas.member)
    client.force_login(personas.member)
    response = client.post(
        reverse("academie:attendance", args=[registration.pk]), {"status": "attended"}
    )
    assert response.status_code == 403
    assert Registration.objects.get(pk=registration.pk).status == S.REGISTERED
