"""URLs of the reports and dashboards."""

from django.urls import path

from . import delivery_views, pack_views, views
from .public_views import public_figures, public_figures_json

app_name = "reports"

urlpatterns = [
    path("reports/reach/", views.reach_view, name="reach"),
    path("reports/continuity/", views.continuity_view, name="continuity"),
    path("reports/delivery/", delivery_views.delivery_view, name="delivery"),
    path("reports/packs/", pack_views.pack_list, name="pack_list"),
    path("reports/packs/new/", pack_views.pack_create, name="pack_create"),
    path("reports/packs/<int:pk>/", pack_views.pack_detail, name="pack_detail"),
    path("reports/packs/<int:pk>/print/", pack_views.pack_print, name="pack_print"),
    path("reports/packs/<int:pk>/xlsx/", pack_views.pack_xlsx, name="pack_xlsx"),
    path("figures/", public_figures, name="public_figures"),
    path("figures.json", public_figures_json, name="public_figures_json"),
]
