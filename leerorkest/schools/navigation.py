"""Menu entries of the school and pupil pages (registered from SchoolsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.navigation import NavItem, register
from leerorkest.accounts.roles import Role
from leerorkest.schools.import_views import NAV_ITEMS as IMPORT_NAV

ITEMS: list[NavItem] = [
    *IMPORT_NAV,
    NavItem(
        _("Schools"),
        "schools:school_list",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR, Role.SCHOOL_CONTACT}),
        order=100,
    ),
    NavItem(
        _("Pupils"),
        "schools:pupil_list",
        frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR, Role.SCHOOL_CONTACT}),
        order=120,
    ),
]


def register_all() -> None:
    from leerorkest.schools.figures import register_figures

    register(*ITEMS)
    register_figures()
