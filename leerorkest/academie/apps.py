from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademieConfig(AppConfig):
    name = "leerorkest.academie"
    verbose_name = _("Academie")

    def ready(self):
        from leerorkest.academie import views
        from leerorkest.academie.privacy import declare
        from leerorkest.accounts.navigation import register

        declare()
        register(*views.NAV_ITEMS)
