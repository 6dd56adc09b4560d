from django.contrib import admin

from leerorkest.knowledge.models import KnowledgeEditor, Theme


@admin.register(KnowledgeEditor)
class KnowledgeEditorAdmin(admin.ModelAdmin):
    """The Expertisecentrum's reviewers: they approve or return submitted materials."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
