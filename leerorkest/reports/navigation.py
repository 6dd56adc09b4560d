"""Menu entries of the reports."""

from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.navigation import NavItem
from leerorkest.accounts.roles import PLATFORM_ADMIN
from leerorkest.programme.access_programme import PROGRAMME_MANAGER_ROLES

REPORT_ROLES = frozenset({*PROGRAMME_MANAGER_ROLES, PLATFORM_ADMIN})

NAV_ITEMS = [
    NavItem(_("Reach"), "reports:reach", REPORT_ROLES, order=700),
    NavItem(_("Continuity"), "reports:continuity", REPORT_ROLES, order=701),
    NavItem(_("Funder packs"), "reports:pack_list", REPORT_ROLES, order=702),
    NavItem(_("Delivery and attendance"), "reports:delivery", REPORT_ROLES, order=703),
]
