"""URLs of the timetable's cover pages (included by leerorkest.timetable.urls)."""

from django.urls import path

from leerorkest.timetable import cover_views as views

urlpatterns = [
    path("timetable/cover/", views.cover_list, name="cover"),
    path("timetable/cover/<int:pk>/confirm/", views.cover_confirm, name="cover_confirm"),
    path("timetable/cover/<int:pk>/cancel/", views.cover_cancel, name="cover_cancel"),
    path("timetable/absences/report/", views.absence_report, name="absence_report"),
    path("timetable/absences/<int:pk>/", views.absence_detail, name="absence_detail"),
    path("timetable/absences/<int:pk>/withdraw/", views.absence_withdraw, name="absence_withdraw"),
    path("timetable/cancellations/", views.cancellation_list, name="cancellations"),
    path("timetable/cancellations/new/", views.cancellation_new, name="cancellation_new"),
]
