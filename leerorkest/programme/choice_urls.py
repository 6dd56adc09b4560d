"""Instrument choice, assignment and lesson-group pages."""

from django.urls import path

from leerorkest.programme import choice_views as views
from leerorkest.programme.choice import group_views

year_group = "schools/<int:school_pk>/choices/<int:year_group>/"

urlpatterns: list = [
    path("choices/", views.choice_index, name="choice_index"),
    path(year_group, views.choice_grid, name="choice_grid"),
    path(year_group + "sections/", views.choice_sections, name="choice_sections"),
    path(year_group + "run/", views.choice_run, name="choice_run"),
    path(year_group + "result/", views.choice_result, name="choice_result"),
    path(
        year_group + "result/<int:pupil_pk>/override/",
        views.choice_override,
        name="choice_override",
    ),
    path(year_group + "lesson-groups/", group_views.lessongroup_form, name="lessongroup_form"),
    path("lesson-groups/", group_views.lessongroup_list, name="lessongroup_list"),
    path("lesson-groups/<int:pk>/", group_views.lessongroup_detail, name="lessongroup_detail"),
    path(
        "lesson-groups/<int:pk>/teacher/",
        group_views.lessongroup_teacher,
        name="lessongroup_teacher",
    ),
    path("lesson-groups/<int:pk>/move/", group_views.lessongroup_move, name="lessongroup_move"),
    path(
        "lesson-groups/<int:pk>/remove/", group_views.lessongroup_remove, name="lessongroup_remove"
    ),
    path("lesson-groups/<int:pk>/add/", group_views.lessongroup_add, name="lessongroup_add"),
]
