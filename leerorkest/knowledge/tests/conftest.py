import pytest


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The instrument catalogue, put back if a flush earlier in this worker took it."""
    from leerorkest.testing import instrument

    instrument("violin")
