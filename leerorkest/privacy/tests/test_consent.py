"""Target P1: the consent register. Newest decision wins, none means no, withdrawal at once,
history kept in an append-only table; coordinators record, school contacts read (A3); every
view of the page writes one audit row (A7)."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import AuditEvent
from leerorkest.accounts.roles import Role
from leerorkest.privacy import actions, consent
from leerorkest.privacy.tests.builders import child_with_history
from leerorkest.schools.models import Consent, ConsentPurpose
from leerorkest.testing import make_class, make_member, make_pupil, make_school

PHOTO = ConsentPurpose.PHOTO_VIDEO
NAME = ConsentPurpose.NAME_PUBLISHED


@pytest.fixture
def child(personas):
    return child_with_history(personas)


def decide(pupil, by, *, given, purpose=PHOTO, on=None):
    return actions.record_consent(
        pupil=pupil,
        purpose=purpose,
        given=given,
        given_by="vader",
        source=Consent.Source.EMAIL,
        decided_on=on or timezone.localdate(),
        by=by,
    )


def url(pupil):
    return reverse("privacy:pupil_consent", args=[pupil.pk])


def form_data(**overrides):
    data = {
        "purpose": NAME,
        "given": "yes",
        "given_by": "moeder",
        "source": Consent.Source.PAPER,
        "decided_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_no_decision_means_no_consent(personas):
    pupil = make_pupil(make_class(make_school(personas.organisation)))
    assert [s.given for s in consent.states(pupil)] == [False, False]
    assert all(s.decision is None for s in consent.states(pupil))
    assert Consent.objects.consenting_pupil_ids(PHOTO, [pupil.pk]) == set()


def test_newest_decision_wins_and_withdrawal_is_immediate(personas, child):
    pupil = child.pupil
    assert Consent.objects.consenting_pupil_ids(PHOTO, [pupil.pk]) == {pupil.pk}
    withdrawal = decide(pupil, personas.owner, given=False)
    assert Consent.objects.consenting_pupil_ids(PHOTO, [pupil.pk]) == set()
    states = {s.purpose: s for s in consent.states(pupil)}
    assert states[PHOTO].decision == withdrawal and not states[PHOTO].given
    assert states[NAME].decision is None
    decide(pupil, personas.owner, given=True)
    assert Consent.objects.consenting_pupil_ids(PHOTO, [pupil.pk]) == {pupil.pk}
    # The history keeps all three, newest first.
    assert [c.given for c in consent.history(pupil)] == [True, False, True]
    assert Consent.objects.filter(pupil=pupil).count() == 3


def test_purposes_are_independent(personas, child):
    decide(child.pupil, personas.owner, given=False, purpose=NAME)
    assert Consent.objects.consenting_pupil_ids(PHOTO, [child.pupil.pk]) == {child.pupil.pk}
    assert Consent.objects.consenting_pupil_ids(NAME, [child.pupil.pk]) == set()


def test_a_decision_older_than_the_one_in_force_is_refused(personas, child):
    with pytest.raises(DomainError) as refused:
        decide(child.pupil, personas.owner, given=False, on=date(2026, 8, 31))
    assert refused.value.field == "decided_on"
    assert Consent.objects.filter(pupil=child.pupil).count() == 1
    # The same day is fine (a decision changed on the day).
    decide(child.pupil, personas.owner, given=False, on=date(2026, 9, 1))


# --- Append-only, on both engines ---------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE schools_consent SET given = NOT given WHERE id = %s",
        "DELETE FROM schools_consent WHERE id = %s",
    ],
)
def test_database_refuses_changing_a_decision(child, statement):
    decision = Consent.objects.get(pupil=child.pupil)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [decision.pk])
    assert Consent.objects.get(pk=decision.pk).given is True


def test_orm_changes_and_deletes_are_refused(child):
    decision = Consent.objects.get(pupil=child.pupil)
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=decision.pk).update(given=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        decision.given_by = "iemand anders"
        decision.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        decision.delete()
    # Deleting the pupil would take the history with it: refused as well.
    with pytest.raises(DatabaseError), transaction.atomic():
        child.pupil.delete()
    assert Consent.objects.filter(pk=decision.pk, given=True).exists()


# --- The page -----------------------------------------------------------------------------------


def test_coordinator_records_a_decision(client, personas, child):
    client.force_login(personas.owner)
    page = client.get(url(child.pupil))
    assert page.status_code == 200
    assert page.context["form"] is not None
    assert "moeder Zwaluw" in page.content.decode()  # the history
    response = client.post(url(child.pupil), form_data())
    assert response.status_code == 302
    decision = Consent.objects.get(pupil=child.pupil, purpose=NAME)
    assert (decision.given, decision.given_by, decision.recorded_by) == (
        True,
        "moeder",
        personas.owner,
    )
    event = AuditEvent.objects.get(action="consent.record")
    assert event.details == {"pupil_id": child.pupil.pk, "purpose": NAME, "given": True}
    assert event.organisation == personas.organisation
    # Withdrawal through the page is in force at once.
    client.post(url(child.pupil), form_data(given="no"))
    assert Consent.objects.consenting_pupil_ids(NAME, [child.pupil.pk]) == set()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_by": " "}, "given_by"),
        ({"given": ""}, "given"),
        ({"purpose": "advertising"}, "purpose"),
        ({"source": "rumour"}, "source"),
        ({"decided_on": "31-02-2026"}, "decided_on"),
        ({"decided_on": (date.today() + timedelta(days=2)).isoformat()}, "decided_on"),
        ({"decided_on": "2026-08-01", "purpose": PHOTO}, "decided_on"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client, personas, child, overrides, field
):
    client.force_login(personas.owner)
    before = Consent.objects.count()
    response = client.post(url(child.pupil), form_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Consent.objects.count() == before
    assert not AuditEvent.objects.filter(action="consent.record").exists()


def test_school_contact_reads_but_cannot_change(client, personas, child):
    client.force_login(child.contact)
    page = client.get(url(child.pupil))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert page.context["states"][0].given is True
    assert client.post(url(child.pupil), form_data()).status_code == 403
    assert Consent.objects.filter(pupil=child.pupil).count() == 1


def test_others_do_not_reach_the_page(client, personas, child):
    other_school_contact = make_member(
        make_school(personas.organisation).organisation, Role.SCHOOL_CONTACT
    )
    for user, status in [
        (other_school_contact, 404),  # the pupil is not at their school
        (personas.outsider, 404),  # another programme
        (personas.member, 403),  # teachers see names, instrument and class only
    ]:
        client.force_login(user)
        assert client.get(url(child.pupil)).status_code == status, user


def test_each_view_of_the_page_writes_exactly_one_audit_row(client, personas, child):
    client.force_login(personas.owner)
    before = AuditEvent.objects.count()
    client.get(url(child.pupil))
    rows = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.object_id) for e in rows] == [("pupil.view_consent", str(child.pupil.pk))]
    client.force_login(child.contact)
    before = AuditEvent.objects.count()
    client.get(url(child.pupil))
    assert AuditEvent.objects.count() == before + 1


def test_erased_pupils_get_no_new_decisions(client, personas, child):
    actions.erase_pupil(pupil=child.pupil, by=personas.owner)
    with pytest.raises(DomainError):
        decide(child.pupil, personas.owner, given=True)
    client.force_login(personas.owner)
    page = client.get(url(child.pupil))
    assert page.context["form"] is None
    assert "moeder Zwaluw" not in page.content.decode()
    assert client.post(url(child.pupil), form_data()).status_code == 403


# --- The include for the pupil page -------------------------------------------------------------


def render_include(user, pupil):
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string('{% include "privacy/includes/pupil_privacy.html" %}')
    return template.render({"pupil": pupil}, request)


def test_include_shows_state_and_links_per_role(personas, child):
    coordinator = render_include(personas.owner, child.pupil)
    assert reverse("privacy:pupil_consent", args=[child.pupil.pk]) in coordinator
    assert reverse("privacy:pupil_export", args=[child.pupil.pk]) in coordinator
    assert reverse("privacy:pupil_erase", args=[child.pupil.pk]) in coordinator
    contact = render_include(child.contact, child.pupil)
    assert reverse("privacy:pupil_consent", args=[child.pupil.pk]) in contact
    assert reverse("privacy:pupil_export", args=[child.pupil.pk]) not in contact
    assert reverse("privacy:pupil_erase", args=[child.pupil.pk]) not in contact
    assert render_include(personas.member, child.pupil).strip() == ""
    assert render_include(personas.outsider, child.pupil).strip() == ""
