from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    name = "leerorkest.workshop"
    verbose_name = _("Workshops and repairs")
