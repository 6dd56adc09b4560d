from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimetableConfig(AppConfig):
    name = "leerorkest.timetable"
    verbose_name = _("Timetable")

    def ready(self):
        from leerorkest.accounts.navigation import register
        from leerorkest.timetable import (
            attendance_views,
            cover_views,
            delivery_views,
            views,
            week_views,
        )

        register(
            *views.NAV_ITEMS,
            *week_views.NAV_ITEMS,
            *attendance_views.NAV_ITEMS,
            *cover_views.NAV_ITEMS,
            *delivery_views.NAV_ITEMS,
        )
