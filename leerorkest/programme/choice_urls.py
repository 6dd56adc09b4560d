"""Instrument choice, assignment and lesson-group pages."""

urlpatterns: list = []
