"""Who works in a workshop: adding, changing and removing members, and the workshop's own lead
and skills. Every function runs in one transaction; refusals are DomainErrors.

The workshop's lead (of that workshop) and the depot's staff manage the members; the lead and
skills of a workshop are for the depot's staff. Removing a member keeps the row (inactive) and
their labour lines; open orders assigned to them in that workshop go back to the queue.
"""

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Membership, User
from leerorkest.accounts.roles import Role
from leerorkest.workshop import access
from leerorkest.workshop.models import LabourLine, Skill, WorkOrder, Workshop, WorkshopMember

LEAD_ROLES = (Role.WORKSHOP_LEAD, Role.DEPOT_STAFF)


def is_depot_staff(user, organisation_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_platform_admin:
        return True
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Role.DEPOT_STAFF
    ).exists()


def can_manage_members(user, workshop: Workshop) -> bool:
    """The workshop's own lead, or the depot's staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return workshop.lead_id == user.pk or is_depot_staff(user, workshop.organisation_id)


def candidates(workshop: Workshop):
    """People who may join: a workshop role or depot staff in the same depot, not active here."""
    current = WorkshopMember.objects.filter(workshop=workshop, is_active=True).values("user_id")
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=workshop.organisation_id,
            memberships__role__in=access.WORK_ROLES,
        )
        .exclude(pk__in=current)
        .distinct()
        .order_by("full_name", "pk")
    )


def lead_candidates(workshop: Workshop):
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=workshop.organisation_id,
            memberships__role__in=LEAD_ROLES,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def _refuse(message: str, code: str = "not_allowed", field: str | None = None):
    raise DomainError(message, code=code, field=field)


def _clean_member(kind: str, skills, rate_cents: int | None) -> tuple[list[str], int]:
    if kind not in WorkshopMember.Kind.values:
        _refuse(_("Choose how this person works here."), "invalid", "kind")
    skills = [s for s in Skill.values if s in set(skills or [])]
    if kind == WorkshopMember.Kind.PAID:
        if not rate_cents or rate_cents <= 0:
            _refuse(_("Paid staff need an hourly rate."), "invalid_rate", "hourly_rate")
        if rate_cents > 100_000:
            _refuse(
                _("An hourly rate above € 1,000 is surely a typo."), "invalid_rate", "hourly_rate"
            )
        return skills, rate_cents
    if rate_cents:
        _refuse(
            _("Only paid staff have an hourly rate; leave it empty."), "invalid_rate", "hourly_rate"
        )
    return skills, 0


def _may_manage(by, workshop: Workshop) -> None:
    if not can_manage_members(by, workshop):
        _refuse(_("Only the workshop's lead and the depot's staff manage its members."))


@transaction.atomic
def add_member(
    *, workshop: Workshop, user, by, kind: str, skills=(), hourly_rate_cents: int | None = None
) -> WorkshopMember:
    """Add someone (again): a former member's row is made active again, history and all."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _may_manage(by, workshop)
    if not candidates(workshop).filter(pk=user.pk).exists():
        if WorkshopMember.objects.filter(workshop=workshop, user=user, is_active=True).exists():
            _refuse(_("%(name)s works here already.") % {"name": user}, "already_member", "user")
        _refuse(
            _("Only people with a workshop role in this depot can join its workshops."),
            "not_a_member",
            "user",
        )
    skills, rate = _clean_member(kind, skills, hourly_rate_cents)
    member, _created = WorkshopMember.objects.update_or_create(
        workshop=workshop,
        user=user,
        defaults={"kind": kind, "skills": skills, "hourly_rate_cents": rate, "is_active": True},
    )
    audit(actor=by, action="workshop.member_added", obj=workshop, member=user.pk, kind=kind)
    return member


@transaction.atomic
def change_member(
    *, member: WorkshopMember, by, kind: str, skills=(), hourly_rate_cents: int | None = None
) -> WorkshopMember:
    """Change how someone works here. Hours already recorded keep the rate they had."""
    member = WorkshopMember.objects.select_for_update().select_related("workshop").get(pk=member.pk)
    _may_manage(by, member.workshop)
    if not member.is_active:
        _refuse(_("This person no longer works here; add them again first."), "not_a_member")
    member.skills, member.hourly_rate_cents = _clean_member(kind, skills, hourly_rate_cents)
    member.kind = kind
    member.save(update_fields=["kind", "skills", "hourly_rate_cents"])
    audit(
        actor=by,
        action="workshop.member_changed",
        obj=member.workshop,
        member=member.user_id,
        kind=kind,
    )
    return member


@transaction.atomic
def remove_member(*, member: WorkshopMember, by) -> list[int]:
    """Remove someone from the workshop; returns the open orders that went back to the queue.
    Their labour lines and the orders they finished stay as they were."""
    member = WorkshopMember.objects.select_for_update().select_related("workshop").get(pk=member.pk)
    _may_manage(by, member.workshop)
    if not member.is_active:
        _refuse(_("This person no longer works here."), "not_a_member")
    orders = WorkOrder.objects.select_for_update().filter(
        workshop=member.workshop, assigned_to_id=member.user_id, status__in=WorkOrder.OPEN
    )
    unassigned = sorted(orders.values_list("pk", flat=True))
    WorkOrder.objects.filter(pk__in=unassigned).update(assigned_to=None)
    member.is_active = False
    member.save(update_fields=["is_active"])
    audit(
        actor=by,
        action="workshop.member_removed",
        obj=member.workshop,
        member=member.user_id,
        unassigned=unassigned,
    )
    return unassigned


@transaction.atomic
def change_workshop(*, workshop: Workshop, by, lead, skills) -> Workshop:
    """The depot's staff choose a workshop's lead and the skills it has."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not is_depot_staff(by, workshop.organisation_id):
        _refuse(_("Only the depot's staff change a workshop's lead and skills."))
    if lead is not None and not lead_candidates(workshop).filter(pk=lead.pk).exists():
        _refuse(
            _("The lead must be a workshop lead or staff of this depot."), "not_a_member", "lead"
        )
    skills = [s for s in Skill.values if s in set(skills or [])]
    if not skills:
        _refuse(_("A workshop needs at least one skill."), "no_skills", "skills")
    workshop.lead, workshop.skills = lead, skills
    workshop.save(update_fields=["lead", "skills"])
    audit(
        actor=by,
        action="workshop.changed",
        obj=workshop,
        lead=lead.pk if lead else None,
        skills=skills,
    )
    return workshop


def member_rows(workshop: Workshop, year: int | None = None) -> list[WorkshopMember]:
    """The members (active first) with their open orders here and their hours this year."""
    year = year or timezone.localdate().year
    members = list(
        WorkshopMember.objects.filter(workshop=workshop)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "pk")
    )
    users = [m.user_id for m in members]
    open_orders: dict[int, list[WorkOrder]] = {}
    for order in (
        WorkOrder.objects.filter(
            workshop=workshop, assigned_to_id__in=users, status__in=WorkOrder.OPEN
        )
        .select_related("instrument__instrument_type")
        .order_by("opened_at", "pk")
    ):
        open_orders.setdefault(order.assigned_to_id, []).append(order)
    hours = dict(
        LabourLine.objects.filter(
            Q(work_order__workshop=workshop), worker_id__in=users, worked_on__year=year
        )
        .values("worker_id")
        .annotate(total=Sum("hours"))
        .values_list("worker_id", "total")
    )
    for member in members:
        member.open_orders = open_orders.get(member.user_id, [])
        member.hours_this_year = hours.get(member.user_id) or 0
        member.skill_labels = [str(Skill(s).label) for s in member.skills if s in Skill.values]
    return members
