"""Class-list import pages (filled in by the import feature)."""

urlpatterns: list = []
