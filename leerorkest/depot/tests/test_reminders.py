"""Staged reminders: one digest per programme, never the same stage twice for a loan."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.depot import actions, reminders
from leerorkest.depot.models import ReminderSent
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_member, make_organisation


@pytest.fixture(autouse=True)
def _stages(settings):
    settings.REMINDER_DAYS = [-30, -7, 1, 14, 30]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def depot(db):
    return make_depot()


def loans_due(depot, borrower, *offsets):
    """Loans due `offset` days from today (negative: overdue)."""
    today = timezone.localdate()
    return [
        actions.checkout_instrument(
            instrument=i, borrower=borrower, by=None, due_on=today + timedelta(days=d)
        )
        for i, d in zip(make_stock(depot, len(offsets)), offsets, strict=True)
    ]


@pytest.mark.parametrize(
    ("days_to_due", "stage"),
    [(40, None), (30, -30), (10, -30), (7, -7), (0, -7), (-1, 1), (-13, 1), (-14, 14), (-99, 30)],
)
def test_stage_for(days_to_due, stage):
    today = date(2026, 6, 1)
    assert reminders.stage_for(today + timedelta(days=days_to_due), today) == stage


def test_one_digest_per_programme_and_never_twice(depot):
    north = make_organisation(kind=OrgKind.PROGRAMME, name="Noord")
    south = make_organisation(kind=OrgKind.PARTNER, name="Zuid")
    make_member(north, Role.COORDINATOR, email="n1@test.example")
    make_member(north, Role.COORDINATOR, email="n2@test.example")
    make_member(north, Role.TEACHER, email="teacher@test.example")
    make_member(south, Role.PARTNER_COORDINATOR, email="s@test.example")
    north_loans = loans_due(depot, north, 5, -2, -20, 100)
    south_loans = loans_due(depot, south, -40)
    result = reminders.send_reminders()
    assert result == {"digests": 2, "loans": 4, "without_recipient": 0}
    assert len(mail.outbox) == 2
    by_to = {tuple(m.to): m for m in mail.outbox}
    north_mail = by_to[("n1@test.example", "n2@test.example")]
    for loan in north_loans[:3]:
        assert loan.instrument.asset_tag in north_mail.body
    assert north_loans[3].instrument.asset_tag not in north_mail.body
    assert "20 days overdue" in north_mail.body or "14 days overdue" in north_mail.body
    assert south_loans[0].instrument.asset_tag in by_to[("s@test.example",)].body
    assert set(ReminderSent.objects.values_list("loan_id", "stage")) == {
        (north_loans[0].pk, -7),
        (north_loans[1].pk, 1),
        (north_loans[2].pk, 14),
        (south_loans[0].pk, 30),
    }
    # Again the same day: nothing new.
    assert reminders.send_reminders()["digests"] == 0
    assert len(mail.outbox) == 2
    # A week later the first loan is overdue: a new stage, a new digest with only that loan.
    later = timezone.localdate() + timedelta(days=7)
    assert reminders.send_reminders(later)["loans"] == 1


def test_returned_loans_and_programmes_without_coordinator(depot):
    lonely = make_organisation(kind=OrgKind.PROGRAMME)
    [loan] = loans_due(depot, lonely, -3)
    result = reminders.send_reminders()
    assert result["without_recipient"] == 1 and not mail.outbox
    assert ReminderSent.objects.count() == 0  # it goes out once someone can read it
    actions.return_instrument(instrument=loan.instrument, by=None)
    assert reminders.plan() == []


def test_task_and_command(depot):
    programme = make_organisation(kind=OrgKind.PROGRAMME)
    make_member(programme, Role.COORDINATOR)
    loans_due(depot, programme, -1)
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "1 digests would be sent" in out.getvalue() and not mail.outbox
    from leerorkest.depot.tasks import send_reminders

    send_reminders.enqueue()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().startswith("0 digests sent")


def test_preview_and_send_now(client, depot):
    programme = make_organisation(kind=OrgKind.PROGRAMME, name="Leerorkest Oost")
    make_member(programme, Role.COORDINATOR, email="coord@test.example")
    [loan] = loans_due(depot, programme, -1)
    client.force_login(make_member(depot, Role.DEPOT_STAFF))
    page = client.get(reverse("depot:reminders"))
    html = page.content.decode()
    assert "coord@test.example" in html and loan.instrument.asset_tag in html
    assert page.context["overdue"] == 1
    response = client.post(reverse("depot:reminders"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert client.get(reverse("depot:reminders")).context["digests"] == []


def test_programme_people_cannot_send(client, depot):
    programme = make_organisation(kind=OrgKind.PROGRAMME)
    client.force_login(make_member(programme, Role.COORDINATOR))
    assert client.post(reverse("depot:reminders")).status_code == 403
    assert not mail.outbox
