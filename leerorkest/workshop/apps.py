"""The depot's workshops: volunteers and skills, work orders with parts and labour, QA sign-off,
spare parts and maintenance plans."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    name = "leerorkest.workshop"
    verbose_name = _("Workshops and repairs")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.depot import panels, signals
        from leerorkest.workshop import actions
        from leerorkest.workshop.panels import work_order_panel
        from leerorkest.workshop.privacy import declare
        from leerorkest.workshop.views import NAV_ITEMS

        signals.sent_to_repair.connect(
            actions.on_sent_to_repair, dispatch_uid="workshop.sent_to_repair"
        )
        signals.damage_reported.connect(
            actions.on_damage_reported, dispatch_uid="workshop.damage_reported"
        )
        panels.register(200, work_order_panel)
        register(*NAV_ITEMS)
        declare()
