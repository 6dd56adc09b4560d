from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepotConfig(AppConfig):
    name = "leerorkest.depot"
    verbose_name = _("Instrument depot")

    def ready(self):
        from leerorkest.depot.navigation import register_all

        register_all()
