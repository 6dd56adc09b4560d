"""Menu entries of the programme pages (registered from ProgrammeConfig.ready)."""

from leerorkest.accounts.navigation import NavItem, register
from leerorkest.programme.ensemble_views import NAV_ITEMS as ENSEMBLE_NAV

ITEMS: list[NavItem] = [
    *ENSEMBLE_NAV,
]


def register_all() -> None:
    register(*ITEMS)
