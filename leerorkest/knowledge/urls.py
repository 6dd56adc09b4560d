from django.urls import path

from leerorkest.knowledge import contribute_views, review_views, views

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("materials/", views.material_list, name="material_list"),
    path("materials/<slug:slug>/", views.material_detail, name="material_detail"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("language/", views.switch_language, name="language"),
    path("register/", contribute_views.register, name="register"),
    path("register/sent/", contribute_views.register_sent, name="register_sent"),
    path("verify/<str:token>/", contribute_views.verify, name="verify"),
    path("contribute/", contribute_views.my_materials, name="my_materials"),
    path("contribute/profile/", contribute_views.become_contributor, name="become_contributor"),
    path("contribute/resend/", contribute_views.resend_verification, name="resend_verification"),
    path("contribute/new/", contribute_views.material_create, name="material_create"),
    path("contribute/<int:pk>/", contribute_views.material_edit, name="material_edit"),
    path(
        "contribute/<int:pk>/unpublish/",
        contribute_views.material_unpublish,
        name="material_unpublish",
    ),
    path("contribute/files/<int:pk>/remove/", contribute_views.file_remove, name="file_remove"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/<int:pk>/", review_views.review, name="review"),
]
