from django.contrib import admin

from leerorkest.schools.models import District, Neighbourhood, School


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "city"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "is_low_income", "primary_school_count"]
    list_filter = ["district", "is_low_income"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["organisation", "brin", "neighbourhood"]
    search_fields = ["organisation__name", "brin"]
