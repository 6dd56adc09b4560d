"""The catalogue page: families, sizes with stock, kit, makes and models; adding to it."""

import pytest
from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.roles import Role
from leerorkest.depot.models import InstrumentModel, KitItem
from leerorkest.depot.tests.builders import make_depot, sized
from leerorkest.testing import instrument, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


def test_the_page_shows_sizes_with_stock_kit_and_models(client):
    depot = make_depot()
    staff = make_member(depot, Role.DEPOT_STAFF)
    sized(depot, "violin", "1/2", 3)
    violin = instrument("violin")
    KitItem.objects.get_or_create(instrument_type=violin, name="Strijkstok")
    InstrumentModel.objects.create(instrument_type=violin, make="Stentor", name="Student II")
    client.force_login(staff)
    page = client.get(reverse("depot:catalogue"))
    assert page.status_code == 200
    strings = next(f for f in page.context["families"] if f["family"] == "Strings")
    row = next(t for t in strings["types"] if t["type"].code == "violin")
    assert row["count"] == 3
    assert {"label": "1/2", "count": 3} in row["sizes"]
    assert "Strijkstok" in [k.name for k in row["kit"]]
    assert "Stentor Student II (0)" in page.content.decode()


def test_adding_a_model_and_a_kit_item_and_refusing_doubles(client):
    depot = make_depot()
    client.force_login(make_member(depot, Role.WORKSHOP_LEAD))
    cello = instrument("cello")
    url = reverse("depot:catalogue_add_model")
    data = {"model-instrument_type": cello.pk, "model-make": "Gliga", "model-name": "Gems"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "in the catalogue already" in again.content.decode()
    assert InstrumentModel.objects.filter(instrument_type=cello).count() == 1
    kit = reverse("depot:catalogue_add_kit")
    assert (
        client.post(kit, {"kit-instrument_type": cello.pk, "kit-name": "Rotstop"}).status_code
        == 302
    )
    empty = client.post(kit, {"kit-instrument_type": cello.pk, "kit-name": ""})
    assert empty.status_code == 400
    assert KitItem.objects.filter(instrument_type=cello, name="Rotstop").exists()


def test_volunteers_and_programmes_cannot_change_the_catalogue(client):
    depot = make_depot()
    client.force_login(make_member(depot, Role.WORKSHOP_VOLUNTEER))
    assert client.get(reverse("depot:catalogue")).status_code == 403
    url = reverse("depot:catalogue_add_kit")
    post = client.post(url, {"kit-instrument_type": instrument("flute").pk, "kit-name": "X"})
    assert post.status_code == 403
