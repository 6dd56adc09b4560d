"""Who sees and does what in the workshops.

Depot staff and workshop leads manage every workshop of their depot; a volunteer (intern, work
placement…) sees the queues of the workshops they work in and the orders assigned to them.
Anything else answers 404.
"""

from django.db.models import Q
from django.http import Http404

from leerorkest.accounts.access import roles
from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import PLATFORM_ADMIN, Role
from leerorkest.depot.access import depots_held

MANAGE_ROLES = (Role.DEPOT_STAFF, Role.WORKSHOP_LEAD)
WORK_ROLES = (Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, Role.WORKSHOP_VOLUNTEER)
MANAGE = roles(*MANAGE_ROLES, PLATFORM_ADMIN)
WORK = roles(*WORK_ROLES, PLATFORM_ADMIN)


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def managed_depots(user):
    """Depots whose workshops the user manages (staff, workshop leads; admins: all)."""
    return depots_held(user, MANAGE_ROLES)


def work_depots(user):
    """Depots the user works for in any workshop role."""
    return depots_held(user, WORK_ROLES)


def can_manage(user, organisation_id: int) -> bool:
    return managed_depots(user).filter(pk=organisation_id).exists()


def workshops_for_user(user):
    from leerorkest.workshop.models import Workshop

    return Workshop.objects.filter(
        Q(organisation__in=managed_depots(user))
        | Q(
            organisation__in=work_depots(user),
            members__user=user,
            members__is_active=True,
        )
    ).distinct()


def work_orders_for_user(user):
    from leerorkest.workshop.models import WorkOrder

    mine = Q(assigned_to=user) if _active(user) else Q(pk__in=[])
    return WorkOrder.objects.filter(
        Q(organisation__in=managed_depots(user))
        | Q(workshop__in=workshops_for_user(user))
        | (mine & Q(organisation__in=work_depots(user)))
    )


def get_workshop_for_user(user, pk):
    from leerorkest.workshop.models import Workshop

    try:
        return workshops_for_user(user).select_related("location", "lead").get(pk=pk)
    except (Workshop.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_work_order_for_user(user, pk):
    from leerorkest.workshop.models import WorkOrder

    try:
        return (
            work_orders_for_user(user)
            .select_related(
                "instrument__instrument_type",
                "instrument__size",
                "workshop__lead",
                "assigned_to",
                "opened_by",
                "qa_signed_by",
                "reported_by",
            )
            .get(pk=pk)
        )
    except (WorkOrder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def parts_for_user(user):
    """Parts of the depots the user works for (volunteers pick them for their orders)."""
    from leerorkest.workshop.models import Part

    return Part.objects.filter(organisation__in=work_depots(user))


def get_part_for_user(user, pk, *, manage: bool = False):
    from leerorkest.workshop.models import Part

    queryset = (
        Part.objects.filter(organisation__in=managed_depots(user))
        if manage
        else parts_for_user(user)
    )
    try:
        return queryset.select_related("instrument_type").get(pk=pk)
    except (Part.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_plan_for_user(user, pk):
    from leerorkest.workshop.models import MaintenancePlan

    try:
        return MaintenancePlan.objects.filter(organisation__in=managed_depots(user)).get(pk=pk)
    except (MaintenancePlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_sign_off(user, work_order) -> bool:
    """The QA sign-off is for the workshop's lead, or the depot's staff."""
    if not _active(user):
        return False
    if user.is_platform_admin or work_order.workshop.lead_id == user.pk:
        return True
    return Membership.objects.filter(
        user=user, organisation_id=work_order.organisation_id, role=Role.DEPOT_STAFF
    ).exists()


def can_work_on(user, work_order) -> bool:
    """Add hours and parts, mark ready: the person it is assigned to, or a manager."""
    if not _active(user):
        return False
    return work_order.assigned_to_id == user.pk or can_manage(user, work_order.organisation_id)
