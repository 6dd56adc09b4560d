"""Ensemble pages."""

from django.urls import path

from leerorkest.programme import ensemble_views as views
from leerorkest.programme import sectional_views

urlpatterns = [
    path("ensembles/", views.ensemble_list, name="ensemble_list"),
    path("ensembles/<int:pk>/", views.ensemble_detail, name="ensemble_detail"),
    path("ensembles/<int:pk>/enrol/", views.ensemble_enrol, name="ensemble_enrol"),
    path(
        "ensembles/<int:pk>/invite-leavers/",
        views.ensemble_invite_leavers,
        name="ensemble_invite_leavers",
    ),
    path(
        "ensembles/<int:pk>/sectionals/new/",
        sectional_views.sectional_add,
        name="sectional_add",
    ),
    path("sectionals/<int:pk>/", sectional_views.sectional_edit, name="sectional_edit"),
    path("sectionals/<int:pk>/delete/", sectional_views.sectional_delete, name="sectional_delete"),
    path("ensemble-members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("ensemble-members/<int:pk>/respond/", views.member_respond, name="member_respond"),
    path("schools/<int:pk>/orchestras/", views.school_orchestras, name="school_orchestras"),
]
