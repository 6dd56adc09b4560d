"""The audit trail is append-only in the database itself, on SQLite and on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import AuditEvent


@pytest.fixture
def event(personas):
    return audit(actor=personas.owner, action="test.event", obj=personas.organisation, n=1)


def test_audit_helper_records_who_what_where(personas, event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == personas.owner
    assert stored.actor_label == personas.owner.email
    assert stored.organisation == personas.organisation
    assert (stored.object_type, stored.object_id) == (
        "accounts.organisation",
        str(personas.organisation.pk),
    )
    assert stored.details == {"n": 1}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounts_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ],
)
def test_database_refuses_raw_update_and_delete(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_orm_delete_and_update_are_refused(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.action = "forged"
        event.save()
    assert AuditEvent.objects.filter(pk=event.pk, action="test.event").exists()


def test_inserts_still_work_after_a_refusal(event, personas):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    audit(actor=personas.member, action="test.second")
    assert AuditEvent.objects.count() == 2


# serialized_rollback puts the reference data of the migrations back for the tests after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_still_empties_the_database(personas):
    """Test teardown and `leerorkest flush` wipe everything; the triggers come back after."""
    from django.core.management import call_command

    audit(actor=personas.owner, action="test.event")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    event = audit(actor=None, action="test.after")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
