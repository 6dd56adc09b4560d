from django.urls import path

from leerorkest.stock import import_views, label_views, stocktake_views, transport_views

app_name = "stock"

urlpatterns = [
    # QR labels
    path("labels/", label_views.label_sheet, name="label_sheet"),
    path("labels/<int:pk>/", label_views.label, name="label"),
    # Inventory import
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/new/", import_views.import_new, name="import_new"),
    path("imports/template.csv", import_views.import_template, name="import_template"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/columns/", import_views.import_columns, name="import_columns"),
    path("imports/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("imports/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    # Stock-take
    path("stocktakes/", stocktake_views.stocktake_list, name="stocktake_list"),
    path("stocktakes/start/", stocktake_views.stocktake_start, name="stocktake_start"),
    path("stocktakes/<int:pk>/", stocktake_views.stocktake_detail, name="stocktake_detail"),
    path("stocktakes/<int:pk>/scan/", stocktake_views.stocktake_scan, name="stocktake_scan"),
    path("stocktakes/<int:pk>/close/", stocktake_views.stocktake_close, name="stocktake_close"),
    # Transport runs
    path("runs/", transport_views.run_list, name="run_list"),
    path("runs/new/", transport_views.run_new, name="run_new"),
    path("runs/<int:pk>/", transport_views.run_detail, name="run_detail"),
    path("runs/<int:pk>/sheet/", transport_views.run_sheet, name="run_sheet"),
    path("runs/<int:pk>/stops/", transport_views.stop_add, name="stop_add"),
    path("runs/<int:pk>/depart/", transport_views.run_depart, name="run_depart"),
    path("runs/<int:pk>/finish/", transport_views.run_finish, name="run_finish"),
    path("stops/<int:pk>/", transport_views.stop_detail, name="stop_detail"),
    path("stops/<int:pk>/print/", transport_views.stop_print, name="stop_print"),
    path("stops/<int:pk>/pack/", transport_views.stop_pack, name="stop_pack"),
    path("stops/<int:pk>/fill/", transport_views.stop_fill, name="stop_fill"),
    path("stops/<int:pk>/remove/", transport_views.stop_remove, name="stop_remove"),
    path("packed/<int:pk>/remove/", transport_views.item_remove, name="item_remove"),
    # Programme side: deliveries to confirm
    path("deliveries/", transport_views.delivery_list, name="delivery_list"),
    path("deliveries/confirm/", transport_views.delivery_confirm_all, name="delivery_confirm_all"),
    path("deliveries/<int:pk>/confirm/", transport_views.delivery_confirm, name="delivery_confirm"),
    path("deliveries/<int:pk>/problem/", transport_views.delivery_problem, name="delivery_problem"),
]
