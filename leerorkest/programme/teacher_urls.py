"""Teacher pages, including a teacher's own groups on a phone."""

from django.urls import path

from leerorkest.programme import teacher_views as views

urlpatterns = [
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("teachers/new/", views.teacher_create, name="teacher_create"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher_detail"),
    path("teachers/<int:pk>/edit/", views.teacher_edit, name="teacher_edit"),
    path("teachers/<int:pk>/link/", views.teacher_link, name="teacher_link"),
    path("teachers/<int:pk>/unlink/", views.teacher_unlink, name="teacher_unlink"),
    path("teachers/<int:pk>/invite/", views.teacher_invite, name="teacher_invite"),
    path("my/groups/", views.my_groups, name="my_groups"),
    path("my/groups/<int:pk>/", views.my_group, name="my_group"),
    path("my/ensembles/<int:pk>/", views.my_ensemble, name="my_ensemble"),
]
