from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "leerorkest.reports"
    verbose_name = _("Reports")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.reports.navigation import NAV_ITEMS

        register(*NAV_ITEMS)
