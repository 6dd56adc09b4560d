"""Photos on the instrument page: uploaded from a phone, checked, shown only to the depot."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.roles import Role
from leerorkest.depot.models import InstrumentPhoto
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_member


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff_and_violin():
    depot = make_depot()
    return make_member(depot, Role.DEPOT_STAFF), make_stock(depot)[0]


def upload(client, violin, content: bytes, name: str = "foto.png"):
    return client.post(
        reverse("depot:photo_add", args=[violin.pk]),
        {"image": SimpleUploadedFile(name, content), "caption": "Kam gebroken"},
        secure=True,
    )


def test_a_photo_is_kept_and_shown_to_the_depot(client, staff_and_violin):
    staff, violin = staff_and_violin
    client.force_login(staff)
    response = upload(client, violin, PNG)
    assert response.status_code == 302
    photo = InstrumentPhoto.objects.get(instrument=violin)
    assert photo.caption == "Kam gebroken" and photo.by == staff
    assert photo.image.name.endswith(f"{violin.asset_tag}.png")
    page = client.get(reverse("depot:instrument_detail", args=[violin.pk]), secure=True)
    assert reverse("depot:photo_view", args=[violin.pk, photo.pk]) in page.content.decode()
    image = client.get(reverse("depot:photo_view", args=[violin.pk, photo.pk]), secure=True)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG


def test_something_else_than_a_photo_is_refused_and_nothing_kept(client, staff_and_violin):
    staff, violin = staff_and_violin
    client.force_login(staff)
    response = upload(client, violin, b"<html>not a photo</html>", name="foto.jpg")
    assert response.status_code == 302
    assert not InstrumentPhoto.objects.exists()
    page = client.get(response["Location"], secure=True)
    assert "not a JPEG, PNG or WebP" in page.content.decode()


def test_another_depot_gets_404_for_the_photo(client, staff_and_violin):
    staff, violin = staff_and_violin
    client.force_login(staff)
    upload(client, violin, PNG)
    photo = InstrumentPhoto.objects.get()
    other = make_member(make_depot(), Role.DEPOT_STAFF)
    client.force_login(other)
    url = reverse("depot:photo_view", args=[violin.pk, photo.pk])
    assert client.get(url, secure=True).status_code == 404
