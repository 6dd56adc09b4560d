"""Donors and donated instruments: intake, assessment, the instruments they became and the
thank-you."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "leerorkest.donations"
    verbose_name = _("Donations")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.depot import panels
        from leerorkest.donations.panels import donation_panel
        from leerorkest.donations.privacy import declare
        from leerorkest.donations.views import NAV_ITEMS

        panels.register(100, donation_panel)
        register(*NAV_ITEMS)
        declare()
