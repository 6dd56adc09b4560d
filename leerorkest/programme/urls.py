from django.urls import include, path

app_name = "programme"

urlpatterns = [
    path("", include("leerorkest.programme.choice_urls")),
    path("", include("leerorkest.programme.teacher_urls")),
    path("", include("leerorkest.programme.partner_urls")),
    path("", include("leerorkest.programme.ensemble_urls")),
]
