"""Organisation kinds, roles, and which role may do what with people.

Platform administration is not a membership: it is the `is_platform_admin` flag on a user, shown
in the role switcher as a context of its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    DEPOT = "depot", _("Instrument depot")
    SCHOOL = "school", _("School")
    PARTNER = "partner", _("Partner programme")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Programme coordinator")
    TEACHER = "teacher", _("Teacher")
    SCHOOL_CONTACT = "school_contact", _("School contact")
    DEPOT_STAFF = "depot_staff", _("Depot staff")
    WORKSHOP_LEAD = "workshop_lead", _("Workshop lead")
    WORKSHOP_VOLUNTEER = "workshop_volunteer", _("Workshop volunteer")
    PARTNER_COORDINATOR = "partner_coordinator", _("Partner programme coordinator")


PLATFORM_ADMIN = "platform_admin"
PLATFORM_ADMIN_LABEL = _("Platform administrator")

# Which roles exist in which kind of organisation.
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrgKind.PROGRAMME: (Role.COORDINATOR, Role.TEACHER),
    OrgKind.DEPOT: (Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, Role.WORKSHOP_VOLUNTEER),
    OrgKind.SCHOOL: (Role.SCHOOL_CONTACT,),
    OrgKind.PARTNER: (Role.PARTNER_COORDINATOR, Role.TEACHER),
}

# Staff roles: they manage their organisation's people and see its audit trail.
MANAGER_ROLES = frozenset({Role.COORDINATOR, Role.DEPOT_STAFF, Role.PARTNER_COORDINATOR})

# Which roles a member may invite into the same organisation. Programme coordinators also invite
# school contacts into the schools of their programme (see `invitable_roles`).
INVITES: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: (Role.COORDINATOR, Role.TEACHER),
    Role.DEPOT_STAFF: (Role.DEPOT_STAFF, Role.WORKSHOP_LEAD, Role.WORKSHOP_VOLUNTEER),
    Role.WORKSHOP_LEAD: (Role.WORKSHOP_VOLUNTEER,),
    Role.PARTNER_COORDINATOR: (Role.PARTNER_COORDINATOR, Role.TEACHER),
}


def role_label(role: str) -> str:
    if role == PLATFORM_ADMIN:
        return str(PLATFORM_ADMIN_LABEL)
    return str(Role(role).label)
