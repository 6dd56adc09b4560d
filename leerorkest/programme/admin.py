from django.contrib import admin

from leerorkest.programme.models import InstrumentType


@admin.register(InstrumentType)
class InstrumentTypeAdmin(admin.ModelAdmin):
    """The instrument catalogue shared by all programmes (and, later, the depot)."""

    list_display = ["code", "name_nl", "name_en", "family", "lesson_group_size", "sort_order"]
    list_filter = ["family"]
    ordering = ["sort_order"]
