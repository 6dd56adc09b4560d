"""Partner organisations, agreements and events."""

from django.urls import path

from leerorkest.programme import partner_views as views

urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/contacts/new/", views.partner_contact_add, name="partner_contact_add"),
    path(
        "partners/contacts/<int:pk>/edit/", views.partner_contact_edit, name="partner_contact_edit"
    ),
    path(
        "partners/contacts/<int:pk>/remove/",
        views.partner_contact_remove,
        name="partner_contact_remove",
    ),
    path(
        "partners/<int:pk>/agreements/new/",
        views.partner_agreement_add,
        name="partner_agreement_add",
    ),
    path(
        "partners/agreements/<int:pk>/edit/",
        views.partner_agreement_edit,
        name="partner_agreement_edit",
    ),
    path(
        "partners/agreements/<int:pk>/remove/",
        views.partner_agreement_remove,
        name="partner_agreement_remove",
    ),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/no-photo-consent/", views.event_no_consent, name="event_no_consent"),
    path("events/<int:pk>/tasks/", views.event_task_add, name="event_task_add"),
    path("events/tasks/<int:pk>/done/", views.event_task_toggle, name="event_task_toggle"),
    path("events/tasks/<int:pk>/remove/", views.event_task_remove, name="event_task_remove"),
]
