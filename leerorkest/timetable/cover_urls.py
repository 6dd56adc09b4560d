"""URLs of the timetable's cover pages (included by leerorkest.timetable.urls)."""

urlpatterns: list = []
