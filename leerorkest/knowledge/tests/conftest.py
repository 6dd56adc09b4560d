import pytest


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The instrument catalogue, put back if a flush earlier in this worker took it."""
    from leerorkest.testing import instrument

    instrument("violin")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Registration limits count in Django's cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
