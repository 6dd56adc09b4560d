"""Partner organisations, agreements and events."""

urlpatterns: list = []
