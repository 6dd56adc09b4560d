import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The tests read the English msgids (Dutch is the site's default): pages through the
    language cookie, actions called directly through the active language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The instrument catalogue, put back if a flush earlier in this worker took it."""
    from leerorkest.testing import instrument

    instrument("violin")
