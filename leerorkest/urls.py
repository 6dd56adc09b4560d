from django.contrib import admin
from django.urls import include, path

from leerorkest import views
from leerorkest.accounts.views import home
from leerorkest.api import api

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("accounts/", include("leerorkest.accounts.urls")),
    path("", include("leerorkest.schools.urls")),
    path("", include("leerorkest.programme.urls")),
    path("privacy/", include("leerorkest.privacy.urls")),
    path("", include("leerorkest.timetable.urls")),
    path("", include("leerorkest.curriculum.urls")),
    path("", include("leerorkest.repertoire.urls")),
    path("knowledge/", include("leerorkest.knowledge.urls")),
    path("academie/", include("leerorkest.academie.urls")),
    path("", include("leerorkest.reports.urls")),
    path("depot/requests/", include("leerorkest.allocation.urls")),
    path("depot/workshops/", include("leerorkest.workshop.urls")),
    path("depot/donations/", include("leerorkest.donations.urls")),
    path("depot/stock/", include("leerorkest.stock.urls")),
    path("depot/", include("leerorkest.depot.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "leerorkest.views.not_found"
handler500 = "leerorkest.views.server_error"
