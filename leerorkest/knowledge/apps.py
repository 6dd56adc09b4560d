from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "leerorkest.knowledge"
    verbose_name = _("Knowledge site")

    def ready(self):
        from leerorkest.knowledge.privacy import declare

        declare()
