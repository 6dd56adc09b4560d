from django.urls import include, path

app_name = "schools"

urlpatterns = [
    path("", include("leerorkest.schools.import_urls")),
]
