from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "leerorkest.programme"
    verbose_name = _("Programme")

    def ready(self):
        from leerorkest.programme.navigation import register_all

        register_all()
