"""Workflows on teacher profiles: each runs in one transaction and writes the audit log."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError, invite_user
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Invitation, Membership, Organisation, User
from leerorkest.accounts.roles import Role
from leerorkest.programme.models import (
    InstrumentType,
    Teacher,
    TeacherAvailability,
    TrainingRecord,
)
from leerorkest.schools.models import District

TEACHER_FIELDS = (
    "full_name",
    "email",
    "phone",
    "is_conductor",
    "contracted_hours",
    "vog_date",
    "is_active",
)


@dataclass(frozen=True)
class Window:
    """One weekly window in which a teacher can work."""

    weekday: int
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class Training:
    """One training a teacher followed; `id` names an existing row to keep."""

    title: str
    attended_on: date
    hours: Decimal
    id: int | None = None


def check_windows(windows: Iterable[Window]) -> None:
    """Refuse a window that ends before it starts, or two windows on one day that overlap."""
    by_day: dict[int, list[Window]] = {}
    for window in windows:
        if window.ends_at <= window.starts_at:
            raise DomainError(
                _("A window must end after it starts."), field="availability", code="window"
            )
        by_day.setdefault(window.weekday, []).append(window)
    for day_windows in by_day.values():
        day_windows.sort(key=lambda w: w.starts_at)
        for earlier, later in pairwise(day_windows):
            if later.starts_at < earlier.ends_at:
                raise DomainError(
                    _("Two windows on the same day overlap."),
                    field="availability",
                    code="window_overlap",
                )


@transaction.atomic
def save_teacher(
    *,
    organisation: Organisation,
    teacher: Teacher | None = None,
    details: dict,
    instruments: Iterable[InstrumentType],
    districts: Iterable[District],
    availability: Iterable[Window],
    training: Iterable[Training],
    by: User,
) -> Teacher:
    """Create (teacher=None) or update a teacher profile of `organisation`, all or nothing.

    The availability becomes exactly the windows given (each ends after it starts, none overlap
    on one day); training rows with an id are updated, rows without one are added, and rows of
    this teacher not given are removed. One e-mail address names one teacher per programme.
    """
    availability = list(availability)
    training = list(training)
    check_windows(availability)
    email = (details.get("email") or "").strip().lower()
    if email:
        same = Teacher.objects.filter(organisation=organisation, email__iexact=email)
        if teacher is not None:
            same = same.exclude(pk=teacher.pk)
        if same.exists():
            raise DomainError(
                _("Another teacher of this programme has this e-mail address."),
                field="email",
                code="duplicate_email",
            )
    if teacher is None:
        teacher = Teacher(organisation=organisation)
        created = True
    else:
        if teacher.organisation_id != organisation.pk:
            raise DomainError(_("This teacher belongs to another programme."))
        created = False
    for name in TEACHER_FIELDS:
        if name in details:
            setattr(teacher, name, details[name])
    teacher.email = email
    teacher.full_name = teacher.full_name.strip()
    if not teacher.full_name:
        raise DomainError(_("Give the teacher's name."), field="full_name")
    teacher.save()
    teacher.instruments.set(instruments)
    teacher.districts.set(districts)

    teacher.availability.all().delete()
    TeacherAvailability.objects.bulk_create(
        TeacherAvailability(
            teacher=teacher, weekday=w.weekday, starts_at=w.starts_at, ends_at=w.ends_at
        )
        for w in availability
    )

    existing = {row.pk: row for row in teacher.training.all()}
    kept = set()
    for row in training:
        if row.id is not None:
            record = existing.get(row.id)
            if record is None:
                raise DomainError(_("This training row belongs to someone else."), field="training")
        else:
            record = TrainingRecord(teacher=teacher)
        record.title = row.title.strip()
        record.attended_on = row.attended_on
        record.hours = row.hours
        record.save()
        kept.add(record.pk)
    teacher.training.exclude(pk__in=kept).delete()

    audit(
        actor=by,
        action="teacher.create" if created else "teacher.update",
        obj=teacher,
        organisation=organisation,
    )
    return teacher


def account_candidate(teacher: Teacher) -> User | None:
    """The account a profile can be linked to: same e-mail, teacher role in the programme."""
    if not teacher.email or teacher.user_id:
        return None
    membership = (
        Membership.objects.filter(
            organisation_id=teacher.organisation_id,
            role=Role.TEACHER,
            user__email__iexact=teacher.email,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def open_invitation(teacher: Teacher) -> Invitation | None:
    """An invitation for this teacher's e-mail address that can still be accepted."""
    if not teacher.email:
        return None
    for invitation in Invitation.objects.filter(
        organisation_id=teacher.organisation_id,
        role=Role.TEACHER,
        email__iexact=teacher.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ):
        if invitation.is_open:
            return invitation
    return None


@transaction.atomic
def link_teacher_account(*, teacher: Teacher, by: User | None) -> User:
    """Link the profile to the account with the same e-mail address that holds the teacher role
    in the profile's programme. One account has at most one profile per programme."""
    teacher = Teacher.objects.select_for_update().get(pk=teacher.pk)
    if teacher.user_id:
        raise DomainError(_("This profile is already linked to an account."), code="linked")
    if not teacher.email:
        raise DomainError(
            _("Add the teacher's e-mail address first."), field="email", code="no_email"
        )
    user = account_candidate(teacher)
    if user is None:
        raise DomainError(
            _(
                "Nobody with this e-mail address is a teacher in this programme yet. "
                "Invite them first."
            ),
            code="no_account",
        )
    if Teacher.objects.filter(organisation_id=teacher.organisation_id, user=user).exists():
        raise DomainError(
            _("This account is already linked to another teacher profile."), code="taken"
        )
    teacher.user = user
    teacher.save(update_fields=["user"])
    audit(actor=by, action="teacher.link_account", obj=teacher, user_id=user.pk)
    return user


@transaction.atomic
def unlink_teacher_account(*, teacher: Teacher, by: User) -> None:
    """Detach the account: the person keeps their role but no longer sees this profile's
    groups."""
    if teacher.user_id is None:
        raise DomainError(_("This profile is not linked to an account."), code="not_linked")
    user_id = teacher.user_id
    teacher.user = None
    teacher.save(update_fields=["user"])
    audit(actor=by, action="teacher.unlink_account", obj=teacher, user_id=user_id)


def invite_teacher(*, teacher: Teacher, by: User) -> Invitation:
    """Invite the teacher (by the profile's e-mail address) as teacher of the programme.

    The profile is linked when the invited person first opens their groups or a coordinator
    opens the profile after they accepted (see `link_pending_profiles`).
    """
    if not teacher.email:
        raise DomainError(
            _("Add the teacher's e-mail address first."), field="email", code="no_email"
        )
    if teacher.user_id:
        raise DomainError(_("This profile is already linked to an account."), code="linked")
    return invite_user(
        organisation=teacher.organisation, email=teacher.email, role=Role.TEACHER, by=by
    )


def _pending_profiles(user: User):
    programmes = Membership.objects.filter(user=user, role=Role.TEACHER).values("organisation_id")
    has_profile = Teacher.objects.filter(user=user).values("organisation_id")
    return Teacher.objects.filter(
        user__isnull=True, email__iexact=user.email, organisation_id__in=programmes
    ).exclude(organisation_id__in=has_profile)


def link_pending_profiles(*, user: User) -> list[Teacher]:
    """Link every unlinked profile with the user's e-mail address in a programme where the user
    holds the teacher role (and has no profile there yet). Safe to call on every visit: when
    there is nothing to link it only reads (no write lock on SQLite)."""
    if not _pending_profiles(user).exists():
        return []
    return _link_pending_profiles(user)


@transaction.atomic
def _link_pending_profiles(user: User) -> list[Teacher]:
    pending = list(_pending_profiles(user).select_for_update().order_by("organisation_id", "pk"))
    linked = []
    seen: set[int] = set()
    for teacher in pending:
        if teacher.organisation_id in seen:
            continue  # two profiles with one address: leave the choice to the coordinator
        seen.add(teacher.organisation_id)
        teacher.user = user
        teacher.save(update_fields=["user"])
        audit(actor=user, action="teacher.link_account", obj=teacher, user_id=user.pk, via="email")
        linked.append(teacher)
    return linked
