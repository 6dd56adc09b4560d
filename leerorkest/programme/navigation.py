"""Menu entries of the programme pages (registered from ProgrammeConfig.ready)."""

from leerorkest.accounts.navigation import NavItem, register

ITEMS: list[NavItem] = []


def register_all() -> None:
    register(*ITEMS)
