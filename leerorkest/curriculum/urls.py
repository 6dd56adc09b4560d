"""URLs of the learning line: lines and their drafts, progress grids, children's progress."""

from django.urls import path

from . import cohort_views, progress_views, views

app_name = "curriculum"

urlpatterns = [
    path("learning-lines/", views.line_list, name="line_list"),
    path("learning-lines/new/", views.line_create, name="line_create"),
    path("learning-lines/choose/", views.line_choose, name="line_choose"),
    path("learning-lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("learning-lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("learning-lines/<int:pk>/publish/", views.line_publish, name="line_publish"),
    path("learning-lines/<int:pk>/new-version/", views.line_new_version, name="line_new_version"),
    path("learning-lines/<int:pk>/goals/new/", views.goal_add, name="goal_add"),
    path("learning-lines/goals/<int:pk>/", views.goal_edit, name="goal_edit"),
    path("learning-lines/goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("learning-lines/<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("learning-lines/milestones/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path(
        "learning-lines/milestones/<int:pk>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("progress/groups/<int:pk>/", progress_views.progress_grid, name="progress_grid"),
    path("progress/pupils/<int:pk>/", progress_views.pupil_progress, name="pupil_progress"),
    path("progress/pupils/<int:pk>/report/", progress_views.pupil_report, name="pupil_report"),
    path("progress/cohorts/", cohort_views.cohort_view, name="cohort"),
]
