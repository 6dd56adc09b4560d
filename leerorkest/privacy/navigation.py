"""Menu entry of the processing register (registered from PrivacyConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.navigation import NavItem, register
from leerorkest.accounts.roles import MANAGER_ROLES, PLATFORM_ADMIN

ITEMS = [
    NavItem(
        _("Processing register"),
        "privacy:register",
        frozenset({*MANAGER_ROLES, PLATFORM_ADMIN}),
        order=830,
    ),
]


def register_all() -> None:
    register(*ITEMS)
