from django.urls import path

from leerorkest.depot import (
    catalogue_views,
    desk_views,
    figures_views,
    office_views,
    portal_views,
    views,
)

app_name = "depot"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("instruments/<int:pk>/photos/<int:photo_pk>/", views.photo_view, name="photo_view"),
    path(
        "instruments/<int:pk>/<slug:action>/",
        views.instrument_change,
        name="instrument_change",
    ),
    path("desk/", views.desk, name="desk"),
    path("desk/lend/", views.desk_lend, name="desk_lend"),
    path("desk/return/", desk_views.desk_return, name="desk_return"),
    path("desk/inspect/", desk_views.desk_inspect, name="desk_inspect"),
    path("desk/swap/", desk_views.desk_swap, name="desk_swap"),
    path("agreements/", office_views.agreement_versions, name="agreement_versions"),
    path("agreements/<int:pk>/", office_views.agreement_version, name="agreement_version"),
    path("agreements/<int:pk>/publish/", office_views.agreement_publish, name="agreement_publish"),
    path("accepted/<int:pk>/", portal_views.agreement_print, name="agreement_print"),
    path("reminders/", office_views.reminder_list, name="reminders"),
    path("size-up/", office_views.size_up_counts, name="size_up_counts"),
    path("figures/", figures_views.depot_figures, name="figures"),
    path("catalogue/", catalogue_views.catalogue_page, name="catalogue"),
    path("catalogue/models/", catalogue_views.add_model, name="catalogue_add_model"),
    path("catalogue/kit/", catalogue_views.add_kit_item, name="catalogue_add_kit"),
    # The programme portal: a borrowing programme's own loans.
    path("portal/", portal_views.portal, name="portal"),
    path("portal/loans/<int:pk>/", portal_views.portal_loan, name="portal_loan"),
    path("portal/loans/<int:pk>/damage/", portal_views.portal_damage, name="portal_damage"),
    path("portal/loans/<int:pk>/lend/", portal_views.portal_lend_pupil, name="portal_lend_pupil"),
    path("portal/loans/<int:pk>/form/", portal_views.portal_pupil_form, name="portal_pupil_form"),
    path(
        "portal/pupil-loans/<int:pk>/return/",
        portal_views.portal_pupil_return,
        name="portal_pupil_return",
    ),
    path("portal/agreement/", portal_views.portal_agreements, name="portal_agreements"),
    path("portal/size-up/", portal_views.portal_size_up, name="portal_size_up"),
]
