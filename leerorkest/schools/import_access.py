"""Who may import class lists: the coordinators of a programme or partner programme, for its
schools. Platform administrators may not: they see no children (target A3)."""

from django.http import Http404

from leerorkest.accounts.models import Membership
from leerorkest.accounts.roles import Role
from leerorkest.schools.models import ClassListImport, School

IMPORT_ROLES = (Role.COORDINATOR, Role.PARTNER_COORDINATOR)


def _programme_ids(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none().values("organisation_id")
    return Membership.objects.filter(
        user=user, role__in=IMPORT_ROLES, organisation__is_active=True
    ).values("organisation_id")


def import_schools_for_user(user):
    """Schools whose class lists the user may import."""
    return School.objects.filter(
        organisation__parent_id__in=_programme_ids(user), organisation__is_active=True
    ).select_related("organisation")


def imports_for_user(user):
    return ClassListImport.objects.filter(organisation_id__in=_programme_ids(user))


def get_import_for_user(user, pk) -> ClassListImport:
    """The import, if the user coordinates its programme; otherwise 404."""
    try:
        return (
            imports_for_user(user)
            .select_related("school__organisation", "school_year", "uploaded_by")
            .get(pk=pk)
        )
    except (ClassListImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
