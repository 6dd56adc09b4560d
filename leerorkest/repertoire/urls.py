"""URLs of the graded repertoire: pieces, parts, files, performances, and the finder."""

from django.urls import path

from . import edit_views, views

app_name = "repertoire"

urlpatterns = [
    path("repertoire/", views.piece_list, name="piece_list"),
    path("repertoire/new/", edit_views.piece_create, name="piece_create"),
    path("repertoire/<int:pk>/", views.piece_detail, name="piece_detail"),
    path("repertoire/<int:pk>/edit/", edit_views.piece_edit, name="piece_edit"),
    path("repertoire/<int:pk>/parts/new/", edit_views.part_add, name="part_add"),
    path("repertoire/parts/<int:pk>/", edit_views.part_edit, name="part_edit"),
    path("repertoire/parts/<int:pk>/delete/", edit_views.part_delete, name="part_delete"),
    path("repertoire/<int:pk>/files/new/", edit_views.file_add, name="file_add"),
    path("repertoire/files/<int:pk>/", views.file_download, name="file_download"),
    path("repertoire/files/<int:pk>/delete/", edit_views.file_delete, name="file_delete"),
    path(
        "repertoire/<int:pk>/performances/new/",
        edit_views.performance_add,
        name="performance_add",
    ),
    path(
        "repertoire/performances/<int:pk>/delete/",
        edit_views.performance_delete,
        name="performance_delete",
    ),
    path("repertoire/ensembles/<int:pk>/", views.finder, name="finder"),
]
