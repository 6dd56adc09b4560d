"""The consent register (target P1): per pupil and purpose the newest decision is in force; no
decision means no consent. Decisions are rows that are never changed (the table is append-only),
so the history is complete.
"""

from dataclasses import dataclass

from django.db.models import Q

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.schools.models import Consent, ConsentPurpose, Pupil

MANAGE = "manage"
VIEW = "view"


@dataclass
class PurposeState:
    purpose: str
    label: str
    decision: Consent | None

    @property
    def given(self) -> bool:
        return self.decision is not None and self.decision.given


def history(pupil: Pupil) -> list[Consent]:
    """Every decision about the pupil, newest first (the order in which they take effect)."""
    return list(
        Consent.objects.filter(pupil=pupil)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


def states(pupil: Pupil, decisions: list[Consent] | None = None) -> list[PurposeState]:
    """The decision in force per purpose, in the order of ConsentPurpose."""
    if decisions is None:
        decisions = history(pupil)
    newest: dict[str, Consent] = {}
    for decision in decisions:
        newest.setdefault(decision.purpose, decision)
    return [
        PurposeState(purpose=value, label=str(label), decision=newest.get(value))
        for value, label in ConsentPurpose.choices
    ]


def access(user, pupil_pk) -> str | None:
    """MANAGE for the coordinators of the pupil's programme, VIEW for the contacts of a school the
    pupil is placed at, None for everyone else (teachers included: they see names, instrument
    and class only)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if Pupil.objects.managed_by(user).filter(pk=pupil_pk).exists():
        return MANAGE
    schools = Membership.objects.filter(
        user=user, role=Role.SCHOOL_CONTACT, organisation__is_active=True
    ).values("organisation_id")
    placed = Pupil.objects.filter(
        Q(placements__school_class__school__organisation_id__in=schools),
        pk=pupil_pk,
        pseudonymised_at__isnull=True,
    )
    return VIEW if placed.exists() else None
