"""URLs of the proof of delivery and teaching hours (included by leerorkest.timetable.urls)."""

from django.urls import path

from . import delivery_views as views

urlpatterns = [
    path("timetable/delivery/", views.delivery_overview, name="delivery"),
    path("timetable/delivery/export.xlsx", views.delivery_xlsx, name="delivery_xlsx"),
    path("timetable/delivery/schools/<int:pk>/", views.delivery_school, name="delivery_school"),
    path("timetable/hours/", views.hours_overview, name="hours"),
    path("timetable/hours/export.xlsx", views.hours_xlsx, name="hours_xlsx"),
    path("timetable/hours/mine/", views.my_hours, name="my_hours"),
    path("timetable/hours/mine/export.xlsx", views.my_hours_xlsx, name="my_hours_xlsx"),
]
