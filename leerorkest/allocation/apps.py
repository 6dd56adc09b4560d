"""Instrument requests from programmes, the season's allocation of depot stock and its
pick lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "leerorkest.allocation"
    verbose_name = _("Requests and allocation")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.allocation.views import NAV_ITEMS, instrument_panel
        from leerorkest.depot import panels

        register(*NAV_ITEMS)
        panels.register(150, instrument_panel)
