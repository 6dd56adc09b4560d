"""Handling the depot's stock: QR labels, inventory import, stock-takes and transport runs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    name = "leerorkest.stock"
    label = "stock"
    verbose_name = _("Stock handling")

    def ready(self):
        from leerorkest.accounts.navigation import NavItem, register
        from leerorkest.accounts.roles import Role
        from leerorkest.depot import panels
        from leerorkest.stock.panels import instrument_panel

        depot = frozenset({Role.DEPOT_STAFF, Role.WORKSHOP_LEAD})
        staff = frozenset({Role.DEPOT_STAFF})
        register(
            NavItem(_("Labels"), "stock:label_sheet", depot, order=320),
            NavItem(_("Stock-take"), "stock:stocktake_list", depot, order=330),
            NavItem(_("Transport"), "stock:run_list", depot, order=340),
            NavItem(_("Inventory import"), "stock:import_list", staff, order=350),
            NavItem(
                _("Deliveries"),
                "stock:delivery_list",
                frozenset({Role.COORDINATOR, Role.PARTNER_COORDINATOR}),
                order=420,
            ),
        )
        panels.register(150, instrument_panel)
