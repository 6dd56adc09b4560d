"""Menu entries of the programme pages (registered from ProgrammeConfig.ready)."""

from leerorkest.accounts.navigation import NavItem, register
from leerorkest.programme.choice_views import NAV_ITEMS as CHOICE_NAV
from leerorkest.programme.ensemble_views import NAV_ITEMS as ENSEMBLE_NAV
from leerorkest.programme.teacher_views import NAV_ITEMS as TEACHER_NAV  # + the VOG home figure

ITEMS: list[NavItem] = [
    *TEACHER_NAV,
    *CHOICE_NAV,
    *ENSEMBLE_NAV,
]


def register_all() -> None:
    register(*ITEMS)
