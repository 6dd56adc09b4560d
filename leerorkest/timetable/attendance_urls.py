"""URLs of the timetable's attendance pages (included by leerorkest.timetable.urls)."""

from django.urls import path

from . import attendance_views as views

urlpatterns = [
    path("timetable/today/", views.today, name="today"),
    path("timetable/registers/", views.registers, name="registers"),
    path("timetable/registers/<int:pk>/", views.register, name="register"),
    path(
        "timetable/registers/<int:pk>/pupils/<int:pupil_pk>/",
        views.register_mark,
        name="register_mark",
    ),
    path(
        "timetable/registers/<int:pk>/everyone-present/",
        views.register_all_present,
        name="register_all_present",
    ),
]
