from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "leerorkest.curriculum"
    verbose_name = _("Learning line")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.curriculum import views
        from leerorkest.curriculum.privacy import declare

        declare()
        register(*views.NAV_ITEMS)
