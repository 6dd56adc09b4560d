"""Menu entries of the school and pupil pages (registered from SchoolsConfig.ready)."""

from leerorkest.accounts.navigation import NavItem, register

ITEMS: list[NavItem] = []


def register_all() -> None:
    register(*ITEMS)
