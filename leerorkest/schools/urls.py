from django.urls import include, path

from leerorkest.schools import pupil_views, views

app_name = "schools"

urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/participation/", views.participation_edit, name="participation_edit"),
    path("schools/<int:pk>/rooms/new/", views.room_edit, name="room_add"),
    path("schools/<int:pk>/rooms/<int:room_pk>/", views.room_edit, name="room_edit"),
    path("schools/<int:pk>/rollover/", views.rollover_confirm, name="rollover"),
    path("rollovers/<int:pk>/undo/", views.rollover_undo, name="rollover_undo"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("pupils/", pupil_views.pupil_list, name="pupil_list"),
    path("pupils/<int:pk>/", pupil_views.pupil_detail, name="pupil_detail"),
    path("pupils/<int:pk>/edit/", pupil_views.pupil_edit, name="pupil_edit"),
    path("", include("leerorkest.schools.import_urls")),
]
