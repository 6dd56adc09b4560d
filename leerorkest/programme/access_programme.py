"""Access helpers for teachers, partners and events (one door each; 404 outside the user's reach).

Teacher profiles (VOG date, hours), partners and events are the office's business: only the
managers of the programme that owns them see them. A teacher reaches their own lesson groups and
conducted ensembles through `my_lesson_groups` / `my_ensembles`, nothing else.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from leerorkest.accounts.access import AccessDenied, roles
from leerorkest.accounts.models import Membership, Organisation
from leerorkest.accounts.roles import OrgKind, Role
from leerorkest.programme.models import (
    Agreement,
    Ensemble,
    Event,
    EventTask,
    LessonGroup,
    Partner,
    PartnerContact,
    Teacher,
)

# The people who run a programme (or a partner programme) manage its teachers, partners, events.
PROGRAMME_MANAGER_ROLES = (Role.COORDINATOR, Role.PARTNER_COORDINATOR)
PROGRAMME_MANAGERS = roles(*PROGRAMME_MANAGER_ROLES)
# Anyone who may stand in front of a group: teachers, and coordinators who also teach or conduct.
TEACHING = roles(Role.TEACHER, *PROGRAMME_MANAGER_ROLES)


def managed_programmes(user) -> QuerySet[Organisation]:
    """Programmes and partner programmes whose teachers, partners and events the user manages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    managed = Membership.objects.filter(
        user=user, role__in=PROGRAMME_MANAGER_ROLES, organisation__is_active=True
    ).values("organisation_id")
    return Organisation.objects.filter(
        pk__in=managed, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER], is_active=True
    )


def active_programme(request) -> Organisation:
    """The programme the user is acting for as its manager; a 403 page in any other context
    (someone who coordinates one programme but is acting as a teacher elsewhere, say)."""
    context = getattr(request, "context", None)
    organisation = getattr(context, "organisation", None)
    if (
        organisation is None
        or context.role not in PROGRAMME_MANAGER_ROLES
        or organisation.kind not in (OrgKind.PROGRAMME, OrgKind.PARTNER)
    ):
        raise AccessDenied(403, "forbidden", _("Switch to your role as coordinator first."))
    return organisation


def teaching_programmes(user) -> QuerySet[Organisation]:
    """Programmes in which the user may see the pupils of their own groups (teacher or manager)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    held = Membership.objects.filter(
        user=user, role__in=[Role.TEACHER, *PROGRAMME_MANAGER_ROLES], organisation__is_active=True
    ).values("organisation_id")
    return Organisation.objects.filter(pk__in=held, is_active=True)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_teacher_for_user(user, pk, *, write: bool = False) -> Teacher:
    """A teacher profile of a programme the user manages (reading it too: it holds HR data)."""
    queryset = Teacher.objects.filter(organisation__in=managed_programmes(user))
    return _get(queryset.select_related("organisation", "user"), pk)


def get_partner_for_user(user, pk, *, write: bool = False) -> Partner:
    queryset = Partner.objects.filter(organisation__in=managed_programmes(user))
    return _get(queryset.select_related("organisation"), pk)


def get_partner_contact_for_user(user, pk, *, write: bool = False) -> PartnerContact:
    queryset = PartnerContact.objects.filter(partner__organisation__in=managed_programmes(user))
    return _get(queryset.select_related("partner__organisation"), pk)


def get_agreement_for_user(user, pk, *, write: bool = False) -> Agreement:
    queryset = Agreement.objects.filter(partner__organisation__in=managed_programmes(user))
    return _get(queryset.select_related("partner__organisation"), pk)


def get_event_for_user(user, pk, *, write: bool = False) -> Event:
    queryset = Event.objects.filter(organisation__in=managed_programmes(user))
    return _get(queryset.select_related("organisation", "partner"), pk)


def get_event_task_for_user(user, pk, *, write: bool = False) -> EventTask:
    queryset = EventTask.objects.filter(event__organisation__in=managed_programmes(user))
    return _get(queryset.select_related("event__organisation"), pk)


def my_lesson_groups(user) -> QuerySet[LessonGroup]:
    """Lesson groups the user teaches, in programmes where they still hold a role."""
    return LessonGroup.objects.filter(
        teacher__user=user, organisation__in=teaching_programmes(user)
    )


def my_ensembles(user) -> QuerySet[Ensemble]:
    """Ensembles the user conducts, in programmes where they still hold a role."""
    return Ensemble.objects.filter(conductor__user=user, organisation__in=teaching_programmes(user))


def get_lesson_group_for_teacher(user, pk) -> LessonGroup:
    """A lesson group the user teaches, or one of a programme they manage; otherwise 404."""
    queryset = LessonGroup.objects.filter(
        Q(pk__in=my_lesson_groups(user).values("pk")) | Q(organisation__in=managed_programmes(user))
    )
    return _get(queryset.select_related("school__organisation", "instrument", "teacher"), pk)


def get_ensemble_for_teacher(user, pk) -> Ensemble:
    """An ensemble the user conducts, or one of a programme they manage; otherwise 404."""
    queryset = Ensemble.objects.filter(
        Q(pk__in=my_ensembles(user).values("pk")) | Q(organisation__in=managed_programmes(user))
    )
    return _get(queryset.select_related("school__organisation", "conductor"), pk)
