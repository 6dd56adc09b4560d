"""URLs of the timetable's delivery pages (included by leerorkest.timetable.urls)."""

urlpatterns: list = []
