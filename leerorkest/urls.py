from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from leerorkest import views
from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.accounts.views import home
from leerorkest.api import api

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", rule(PUBLIC)(set_language), name="set_language"),
    path("accounts/", include("leerorkest.accounts.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "leerorkest.views.not_found"
handler500 = "leerorkest.views.server_error"
