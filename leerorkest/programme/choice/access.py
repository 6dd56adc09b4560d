"""Who may work on instrument choice and lesson groups (one door each; 404 outside reach).

The pages hold children's names and choices, so they are for the coordinators of the programme
that owns the school, by membership: a platform administrator sees no children (target A3).
Teachers read their own lesson groups through the API.
"""

from django.db.models import Q
from django.http import Http404

from leerorkest.accounts.access import roles
from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import MANAGER_ROLES, Role
from leerorkest.programme.models import LessonGroup
from leerorkest.schools.models import School

COORDINATORS = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR)
GROUP_READERS = roles(Role.COORDINATOR, Role.PARTNER_COORDINATOR, Role.TEACHER)


def managed_programme_ids(user):
    """Ids of the programmes the user coordinates (a subquery)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none().values("organisation_id")
    return Membership.objects.filter(
        user=user, role__in=MANAGER_ROLES, organisation__is_active=True
    ).values("organisation_id")


def coordinated_schools(user):
    """Schools of the programmes the user coordinates."""
    return School.objects.filter(
        organisation__parent_id__in=managed_programme_ids(user), organisation__is_active=True
    ).select_related("organisation__parent")


def get_school_for_coordinator(user, pk) -> School:
    try:
        return coordinated_schools(user).get(pk=pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lesson_groups_for_user(user, *, write: bool = False):
    """Lesson groups of the programmes the user coordinates; without write also the groups the
    user teaches."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return LessonGroup.objects.none()
    visible = Q(organisation_id__in=managed_programme_ids(user))
    if not write:
        teaching = Membership.objects.filter(
            user=user, role=Role.TEACHER, organisation__is_active=True
        ).values("organisation_id")
        visible |= Q(teacher__user=user, organisation_id__in=teaching)
    return LessonGroup.objects.filter(visible)


def get_lesson_group_for_user(user, pk, *, write: bool = False) -> LessonGroup:
    try:
        return (
            lesson_groups_for_user(user, write=write)
            .select_related("school__organisation", "school_year", "instrument", "teacher")
            .get(pk=pk)
        )
    except (LessonGroup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
