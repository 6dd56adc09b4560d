"""Teacher pages, including a teacher's own groups on a phone."""

urlpatterns: list = []
