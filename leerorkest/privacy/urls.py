from django.urls import path

from leerorkest.privacy import views

app_name = "privacy"

urlpatterns = [
    path("register/", views.processing_register, name="register"),
    path("pupils/<int:pk>/consent/", views.pupil_consent, name="pupil_consent"),
    path("pupils/<int:pk>/export/", views.pupil_export, name="pupil_export"),
    path("pupils/<int:pk>/export.json", views.pupil_export_json, name="pupil_export_json"),
    path("pupils/<int:pk>/erase/", views.pupil_erase, name="pupil_erase"),
]
