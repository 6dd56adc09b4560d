from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "leerorkest.schools"
    verbose_name = _("Schools and places")

    def ready(self):
        from leerorkest.schools.navigation import register_all

        register_all()
