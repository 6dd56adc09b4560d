from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "leerorkest.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from leerorkest.privacy.navigation import register_all

        register_all()
