from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepertoireConfig(AppConfig):
    name = "leerorkest.repertoire"
    verbose_name = _("Repertoire")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.repertoire import views
        from leerorkest.repertoire.privacy import declare

        declare()
        register(*views.NAV_ITEMS)
