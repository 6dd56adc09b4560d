"""The one way to write the audit trail (target A7)."""

from django.db import models

from leerorkest.accounts.models import AuditEvent, Organisation


def audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organisation: Organisation | int | None = None,
    **details,
) -> AuditEvent:
    """Append one audit row: who did what to which object, in which organisation.

    `actor` may be None (a scheduled task) or anonymous (a failed login). The organisation is
    taken from the object when not given; an id will do. Details must hold no personal data
    beyond ids.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Objects about a child give a label without their name (`audit_label`): the trail is
    # append-only, so a name written here could never be erased.
    label = (getattr(obj, "audit_label", None) or str(obj))[:200] if obj is not None else ""
    if organisation is None and obj is not None:
        organisation = obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)
    organisation_id = (
        organisation if isinstance(organisation, int) else getattr(organisation, "pk", None)
    )
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.email if user else "",
        organisation_id=organisation_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=label,
        details=details,
    )
