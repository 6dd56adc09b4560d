from django.urls import path

from leerorkest.allocation import views

app_name = "allocation"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("<int:pk>/submit/", views.request_submit, name="request_submit"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<int:pk>/close/", views.request_close, name="request_close"),
    path("<int:pk>/pick-list/", views.request_picklist, name="request_picklist"),
    path("depot/", views.depot_overview, name="depot_overview"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_report, name="run_report"),
    path("runs/<int:pk>/confirm/", views.run_confirm, name="run_confirm"),
    path("runs/<int:pk>/pick-list/", views.run_picklist, name="run_picklist"),
]
