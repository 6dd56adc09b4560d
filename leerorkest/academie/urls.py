from django.urls import path

from leerorkest.academie import organiser_views, views

app_name = "academie"

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("mine/", views.my_academie, name="mine"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/register/", views.workshop_register, name="register"),
    path("workshops/<int:pk>/unregister/", views.workshop_unregister, name="unregister"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("verify/<int:pk>/<str:code>/", views.verify, name="verify"),
    # The organiser's pages.
    path("organise/", organiser_views.organiser_list, name="organiser_list"),
    path("organise/new/", organiser_views.workshop_create, name="workshop_create"),
    path("organise/<int:pk>/", organiser_views.participants, name="participants"),
    path("organise/<int:pk>/edit/", organiser_views.workshop_edit, name="workshop_edit"),
    path("organise/<int:pk>/cancel/", organiser_views.workshop_cancel, name="workshop_cancel"),
    path(
        "organise/registrations/<int:pk>/attendance/",
        organiser_views.mark_attendance,
        name="attendance",
    ),
]
