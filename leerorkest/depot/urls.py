from django.urls import path

from leerorkest.depot import views

app_name = "depot"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path(
        "instruments/<int:pk>/<slug:action>/",
        views.instrument_change,
        name="instrument_change",
    ),
    path("desk/", views.desk, name="desk"),
    path("desk/lend/", views.desk_lend, name="desk_lend"),
    path("desk/return/", views.desk_return, name="desk_return"),
]
