from django.urls import path

from leerorkest.workshop import member_views, stock_views, views

app_name = "workshop"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/queue/", views.queue, name="queue"),
    path("<int:pk>/members/", member_views.workshop_members, name="members"),
    path("<int:pk>/settings/", member_views.workshop_settings, name="settings"),
    path("members/<int:pk>/", member_views.member_change, name="member_change"),
    path("members/<int:pk>/remove/", member_views.member_remove, name="member_remove"),
    path("my-work/", views.my_work, name="my_work"),
    path("orders/new/", views.work_order_new, name="work_order_new"),
    path("orders/<int:pk>/", views.work_order, name="work_order"),
    path("orders/<int:pk>/assign/", views.work_order_assign, name="work_order_assign"),
    path("orders/<int:pk>/labour/", views.work_order_labour, name="work_order_labour"),
    path("orders/<int:pk>/parts/", views.work_order_part, name="work_order_part"),
    path("orders/<int:pk>/<slug:action>/", views.work_order_action, name="work_order_action"),
    path("parts/", stock_views.parts, name="parts"),
    path("parts/new/", stock_views.part_create, name="part_create"),
    path("parts/receive/", stock_views.part_receive, name="part_receive"),
    path("parts/<int:pk>/", stock_views.part_detail, name="part_detail"),
    path("maintenance/", stock_views.plans, name="plans"),
    path("maintenance/run/", stock_views.plans_run, name="plans_run"),
    path("maintenance/<int:pk>/switch/", stock_views.plan_toggle, name="plan_toggle"),
    path("harvest/<int:pk>/", stock_views.harvest, name="harvest"),
]
