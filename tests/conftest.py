"""Fixtures shared by the tests in this folder."""

from tests.fuzzing import depot_world  # noqa: F401 - a fixture for the B1 fuzz tests
