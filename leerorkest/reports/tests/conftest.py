import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _catalogue(db):
    from leerorkest.testing import instrument

    instrument("violin")
