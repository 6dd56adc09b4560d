from django.contrib import admin

from leerorkest.schools.models import District, Holiday, Neighbourhood, School, SchoolYear


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


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    """Platform administrators keep the school years and the holidays of the three regions.

    Pupils, classes and placements are deliberately not in the admin site: children's data is
    for the programmes, not for the platform's administrators."""

    list_display = ["__str__", "starts_on", "ends_on"]
    inlines = [HolidayInline]
