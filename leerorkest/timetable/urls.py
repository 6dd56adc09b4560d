from leerorkest.timetable import attendance_urls, cover_urls, delivery_urls, views, week_views

app_name = "timetable"

urlpatterns = [
    *views.urlpatterns,
    *week_views.urlpatterns,
    *attendance_urls.urlpatterns,
    *cover_urls.urlpatterns,
    *delivery_urls.urlpatterns,
]
