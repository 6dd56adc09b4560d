from django.urls import path

from leerorkest.donations import views

app_name = "donations"

urlpatterns = [
    path("", views.donation_list, name="list"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.donation_detail, name="detail"),
    path("<int:pk>/letter/", views.letter, name="letter"),
    path("<int:pk>/thank/", views.thank, name="thank"),
    path("items/<int:pk>/assess/", views.item_assess, name="item_assess"),
    path("donors/", views.donor_list, name="donors"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/erase/", views.donor_erase, name="donor_erase"),
]
