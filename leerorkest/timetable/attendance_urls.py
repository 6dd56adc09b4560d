"""URLs of the timetable's attendance pages (included by leerorkest.timetable.urls)."""

urlpatterns: list = []
