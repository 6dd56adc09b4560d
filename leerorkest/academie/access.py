"""Who sees which Academie workshop (one door each; 404 outside the user's reach).

Readers: anyone holding a teacher or coordinator role in a programme or partner programme. They
see the workshops of their own programmes, and workshops the organiser opened to all programmes
(the Expertisecentrum trains musicians of other programmes too). Depot staff and school contacts
do not: the Academie trains the people who teach.

Organisers: the coordinators of the organising programme manage its workshops.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from leerorkest.academie.models import AcademieWorkshop, Registration, RegistrationStatus
from leerorkest.accounts.access import roles
from leerorkest.accounts.roles import Role
from leerorkest.programme.access_programme import (
    PROGRAMME_MANAGER_ROLES,
    managed_programmes,
    teaching_programmes,
)

READER_ROLES = (Role.TEACHER, *PROGRAMME_MANAGER_ROLES)
READERS = roles(*READER_ROLES)
ORGANISERS = roles(*PROGRAMME_MANAGER_ROLES)


def workshops_for_user(user) -> QuerySet[AcademieWorkshop]:
    """Workshops the user may read (and register for while they are open)."""
    own = teaching_programmes(user)
    if not own.exists():
        return AcademieWorkshop.objects.none()
    return AcademieWorkshop.objects.filter(
        Q(organisation__in=own) | Q(open_to_all_programmes=True), organisation__is_active=True
    )


def organised_workshops(user) -> QuerySet[AcademieWorkshop]:
    """Workshops of the programmes the user coordinates."""
    return AcademieWorkshop.objects.filter(organisation__in=managed_programmes(user))


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_workshop_for_user(user, pk, *, write: bool = False) -> AcademieWorkshop:
    """A workshop the user may read; with write, one of a programme they coordinate."""
    queryset = organised_workshops(user) if write else workshops_for_user(user)
    return _get(queryset.select_related("organisation").with_counts(), pk)


def get_registration_for_user(user, pk, *, write: bool = False) -> Registration:
    """The user's own registration; with write, any registration of a workshop they organise."""
    if write:
        queryset = Registration.objects.filter(workshop__in=organised_workshops(user))
    else:
        queryset = Registration.objects.filter(user=user)
    return _get(queryset.select_related("workshop__organisation", "user"), pk)


def get_certificate_for_user(user, pk) -> Registration:
    """An attended registration the user may print: their own, or one of a workshop they
    organise; otherwise 404."""
    queryset = Registration.objects.filter(
        Q(user=user) | Q(workshop__in=organised_workshops(user)),
        status=RegistrationStatus.ATTENDED,
    )
    return _get(queryset.select_related("workshop__organisation", "user"), pk)
