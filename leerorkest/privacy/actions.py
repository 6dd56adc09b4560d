"""Privacy workflows: recording consent, erasure by pseudonymisation, retention (P1–P3).

Each runs in one transaction and writes the audit trail, without names in the details.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import User
from leerorkest.programme.models import EnsembleMember, LessonGroupMember
from leerorkest.schools.models import ClassPlacement, Consent, ConsentPurpose, Pupil

PSEUDONYM_GIVEN_NAME = "Leerling"

# What erasure does with each field of Pupil. Every field is either replaced or kept on purpose;
# a test fails when a new field is in neither list.
ERASED_FIELDS = {
    "given_name": "the word Leerling",
    "surname_prefix": "empty",
    "surname": "a random code",
    "date_of_birth": "empty (the class's groep still gives the age for statistics)",
    "parent_name": "empty",
    "parent_phone": "empty",
    "parent_email": "empty",
    "secondary_school": "empty",
    "pseudonymised_at": "the time of erasure",
}
KEPT_FIELDS = {
    "id": "links to placements, groups, orchestras and loans",
    "organisation": "statistics per programme",
    "left_on": "statistics and retention",
    "created_at": "statistics",
}


def new_pseudonym() -> str:
    return secrets.token_hex(3).upper()


def _pseudonymise(pupil_id: int, now: datetime) -> str | None:
    """Replace the names and clear the rest; None when the pupil was pseudonymised already.

    A conditional update, so two erasures at once (a coordinator and the retention task) cannot
    both happen.
    """
    code = new_pseudonym()
    changed = Pupil.objects.filter(pk=pupil_id, pseudonymised_at__isnull=True).update(
        given_name=PSEUDONYM_GIVEN_NAME,
        surname_prefix="",
        surname=code,
        date_of_birth=None,
        parent_name="",
        parent_phone="",
        parent_email="",
        secondary_school="",
        pseudonymised_at=now,
    )
    if changed:
        # The parent's name and drawn signature on the instrument loans go too; the loans stay.
        from leerorkest.depot.models import PupilLoan

        PupilLoan.objects.filter(pupil_id=pupil_id).update(signed_by="", signature="")
        # A teacher's progress note is free text that may name the child.
        from leerorkest.curriculum.models import ProgressRecord

        ProgressRecord.objects.filter(pupil_id=pupil_id).update(note="")
    return code if changed else None


@transaction.atomic
def erase_pupil(*, pupil: Pupil, by: User) -> Pupil:
    """Erase a pupil by pseudonymisation (target P2): names become "Leerling 8F3A2C", date of
    birth, parents' contact and secondary school are cleared. Placements, instrument choices,
    lesson groups, orchestras, consent history and loans stay (without the parent's name and
    signature on them), so statistics stay true.
    Irreversible. Refused when the pupil was erased already.
    """
    code = _pseudonymise(pupil.pk, timezone.now())
    if code is None:
        raise DomainError(_("This pupil's record was erased already."), code="already_erased")
    pupil.refresh_from_db()
    # Written after the change, so the trail names the pseudonym, not the child.
    audit(actor=by, action="pupil.erase", obj=pupil)
    return pupil


def _validate_consent(*, pupil: Pupil, purpose, given_by, source, decided_on) -> None:
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Choose a purpose."), field="purpose")
    if source not in Consent.Source.values:
        raise DomainError(_("Choose how the decision reached you."), field="source")
    if not (given_by or "").strip():
        raise DomainError(_("Say who decided, e.g. “mother”."), field="given_by")
    if decided_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="decided_on")
    if pupil.pseudonymised_at is not None:
        raise DomainError(_("This pupil's record was erased."), code="erased")


@transaction.atomic
def record_consent(
    *,
    pupil: Pupil,
    purpose: str,
    given: bool,
    given_by: str,
    source: str,
    decided_on: date,
    by: User,
) -> Consent:
    """Record a parent's decision for one purpose; it is in force at once (a "no" withdraws).

    Decisions are never changed: this adds a row. A decision dated before the one in force is
    refused, since recording it would silently undo the newer one.
    """
    _validate_consent(
        pupil=pupil, purpose=purpose, given_by=given_by, source=source, decided_on=decided_on
    )
    # One writer per pupil at a time, so "the newest" is well defined.
    list(Pupil.objects.select_for_update().filter(pk=pupil.pk).values_list("pk"))
    current = (
        Consent.objects.filter(pupil=pupil, purpose=purpose).order_by("-recorded_at", "-id").first()
    )
    if current is not None and current.decided_on > decided_on:
        raise DomainError(
            _("A newer decision, of %(date)s, is in force. Record only decisions since then.")
            % {"date": current.decided_on.strftime("%d-%m-%Y")},
            field="decided_on",
        )
    consent = Consent.objects.create(
        pupil=pupil,
        purpose=purpose,
        given=given,
        given_by=given_by.strip(),
        source=source,
        decided_on=decided_on,
        recorded_by=by,
    )
    audit(
        actor=by,
        action="consent.record",
        obj=consent,
        organisation=pupil.organisation,
        pupil_id=pupil.pk,
        purpose=purpose,
        given=given,
    )
    return consent


# --- Retention (target P3) ---------------------------------------------------------------------


def retention_cutoff(today: date | None = None, years: int | None = None) -> date:
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def expired_pupils(cutoff: date):
    """Pupils whose time with the programme ended before `cutoff` and who are not erased yet.

    Ended means: they left (left_on) before it, or all their classes, lesson groups and
    orchestra places belong to school years that ended before it (a pupil still playing in a
    neighbourhood orchestra is kept), or they were registered before it and never placed.
    """
    pupil = OuterRef("pk")
    recent_class = ClassPlacement.objects.filter(pupil=pupil, school_year__ends_on__gte=cutoff)
    recent_group = LessonGroupMember.objects.filter(pupil=pupil, school_year__ends_on__gte=cutoff)
    recent_orchestra = EnsembleMember.objects.filter(
        pupil=pupil, ensemble__school_year__ends_on__gte=cutoff
    ).exclude(status=EnsembleMember.Status.LEFT)
    placed = ClassPlacement.objects.filter(pupil=pupil)
    registered_before = timezone.make_aware(datetime.combine(cutoff, time.min))
    return (
        Pupil.objects.filter(pseudonymised_at__isnull=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__lt=cutoff))
        .exclude(Exists(recent_class))
        .exclude(Exists(recent_group))
        .exclude(Exists(recent_orchestra))
        .filter(Q(left_on__lt=cutoff) | Exists(placed) | Q(created_at__lt=registered_before))
    )


@dataclass
class RetentionResult:
    cutoff: date
    dry_run: bool
    pupil_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.pupil_ids)


@transaction.atomic
def apply_retention(
    *, today: date | None = None, dry_run: bool = False, by: User | None = None
) -> RetentionResult:
    """Pseudonymise every pupil whose time ended more than RETENTION_YEARS ago.

    Idempotent: a second run finds nobody. Writes one audit row per run with the count and the
    record ids (no names), dry runs included.
    """
    cutoff = retention_cutoff(today)
    result = RetentionResult(cutoff=cutoff, dry_run=dry_run)
    candidates = list(expired_pupils(cutoff).values_list("pk", "organisation_id"))
    by_organisation: dict[str, int] = {}
    now = timezone.now()
    for pupil_id, organisation_id in candidates:
        if dry_run or _pseudonymise(pupil_id, now) is not None:
            result.pupil_ids.append(pupil_id)
            key = str(organisation_id)
            by_organisation[key] = by_organisation.get(key, 0) + 1
    audit(
        actor=by,
        action="privacy.retention",
        count=result.count,
        cutoff=cutoff.isoformat(),
        years=settings.RETENTION_YEARS,
        dry_run=dry_run,
        pupil_ids=result.pupil_ids,
        by_organisation=by_organisation,
    )
    return result
