import re
from datetime import date
from urllib.parse import unquote

import pytest
import segno
from django.urls import reverse
from django.utils import translation

from leerorkest.accounts.roles import Role
from leerorkest.depot.tests.builders import make_depot
from leerorkest.stock import labels
from leerorkest.stock.tests.builders import make_world, stock
from leerorkest.testing import instrument, make_member


@pytest.fixture(autouse=True)
def in_english(client):
    """These tests read the English wording (pages, messages and the notes actions write)."""
    client.cookies["leerorkest_language"] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _qr_uris(html: str) -> list[str]:
    return re.findall(r'src="(data:image/svg\+xml[^"]+)"', html)


def test_label_page_shows_the_qr_code_of_the_plain_tag(client):
    world = make_world()
    violin = stock(world, asset_tag="LO-04711")[0]
    client.force_login(world.staff)
    response = client.get(reverse("stock:label", args=[violin.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "LO-04711" in html
    assert "Viool" in html or "Violin" in html
    [uri] = _qr_uris(html)
    # The picture is segno's QR code of exactly the tag (the template escapes it, nothing more).
    expected = segno.make("LO-04711", micro=False, error="m").svg_data_uri(scale=1, border=2)
    assert uri.replace("&#x27;", "'").replace("&amp;", "&") == expected
    assert "<svg" in unquote(uri) and "<path" in unquote(uri)
    assert uri != segno.make("LO-04712", micro=False, error="m").svg_data_uri(scale=1, border=2)


def test_label_of_another_depots_instrument_is_404(client):
    world = make_world()
    violin = stock(world)[0]
    stranger = make_member(make_depot(), Role.DEPOT_STAFF)
    client.force_login(stranger)
    assert client.get(reverse("stock:label", args=[violin.pk])).status_code == 404


def test_a_programme_coordinator_cannot_print_labels(client, personas):
    client.force_login(personas.owner)
    assert client.get(reverse("stock:label_sheet")).status_code == 403


def test_sheet_paginates_by_24_and_filters(client):
    world = make_world()
    violins = stock(world, 30)
    cellos = stock(world, 2, code="cello")
    client.force_login(world.staff)
    url = reverse("stock:label_sheet")

    empty = client.get(url)
    assert empty.status_code == 200 and not _qr_uris(empty.content.decode())

    html = client.get(url, {"type": instrument("violin").pk}).content.decode()
    assert html.count('class="label-sheet"') == 2
    assert len(_qr_uris(html)) == 30
    assert all(v.asset_tag in html for v in violins)
    assert cellos[0].asset_tag not in html

    tags = sorted(v.asset_tag for v in violins)
    html = client.get(url, {"from_tag": tags[3], "to_tag": tags[5].lower()}).content.decode()
    assert len(_qr_uris(html)) == 3 and tags[4] in html and tags[6] not in html

    html = client.get(url, {"location": world.shelf_b.pk}).content.decode()
    assert "No instruments match" in html or "Geen instrumenten" in html


def test_sheet_selects_newly_acquired_since_a_date(client):
    world = make_world()
    old = stock(world, acquired_on=date(2020, 1, 1))[0]
    new = stock(world, acquired_on=date(2026, 6, 1))[0]
    client.force_login(world.staff)
    html = client.get(reverse("stock:label_sheet"), {"since": "2026-01-01"}).content.decode()
    assert new.asset_tag in html and old.asset_tag not in html


def test_sheet_refuses_too_many_labels(client, monkeypatch):
    world = make_world()
    stock(world, 5)
    monkeypatch.setattr(labels, "MAX_LABELS", 4)
    client.force_login(world.staff)
    html = client.get(reverse("stock:label_sheet"), {"status": "available"}).content.decode()
    assert not _qr_uris(html)
    assert 'role="alert"' in html


def test_instrument_page_links_to_the_label(client):
    world = make_world()
    violin = stock(world)[0]
    client.force_login(world.staff)
    html = client.get(reverse("depot:instrument_detail", args=[violin.pk])).content.decode()
    assert reverse("stock:label", args=[violin.pk]) in html
