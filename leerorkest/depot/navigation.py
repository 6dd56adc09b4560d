"""Menu entries of the depot pages (registered from DepotConfig.ready)."""

from leerorkest.accounts.navigation import register
from leerorkest.depot.views import NAV_ITEMS


def register_all() -> None:
    from leerorkest.depot import figures_views

    register(*NAV_ITEMS)
    figures_views.register()
