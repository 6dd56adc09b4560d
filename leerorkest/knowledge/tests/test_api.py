"""The knowledge API: published materials for anyone; a contributor also reads their own."""

import pytest

from leerorkest.accounts.actions import create_api_token
from leerorkest.knowledge.models import MaterialKind, MaterialStatus
from leerorkest.knowledge.tests.builders import (
    make_contributor,
    make_file,
    make_material,
    make_theme,
)
from leerorkest.testing import instrument

pytestmark = pytest.mark.django_db


def test_anyone_lists_and_searches_published_materials(client):
    violin = instrument("violin")
    make_material(title="Vioolles voor groep 6: streken", instruments=[violin], year_groups=[6])
    make_material(title="Cellospel", kind=MaterialKind.GAME, year_groups=[5])
    make_material(title="Vioolles klad", status=MaterialStatus.DRAFT)
    response = client.get("/api/v1/knowledge/materials")
    assert response.status_code == 200
    assert sorted(m["title"] for m in response.json()) == [
        "Cellospel",
        "Vioolles voor groep 6: streken",
    ]
    found = client.get("/api/v1/knowledge/materials", {"q": "vioolles groep 6"}).json()
    assert [m["title"] for m in found] == ["Vioolles voor groep 6: streken"]
    assert found[0]["instruments"] == ["violin"]
    assert found[0]["year_groups"] == [6]
    games = client.get("/api/v1/knowledge/materials", {"kind": "game", "groep": 5}).json()
    assert [m["title"] for m in games] == ["Cellospel"]
    assert client.get("/api/v1/knowledge/materials", {"groep": 12}).status_code == 422


def test_detail_has_files_and_licence_and_hides_drafts(client):
    theme = make_theme("Samenspel")
    material = make_material(title="Handboek", kind=MaterialKind.HANDBOOK, themes=[theme])
    file = make_file(material, name="handboek.pdf")
    data = client.get(f"/api/v1/knowledge/materials/{material.slug}").json()
    assert data["licence"] == "cc_by"
    assert data["licence_url"].startswith("https://creativecommons.org/")
    assert data["themes"] == [theme.slug]
    assert data["files"] == [
        {
            "id": file.pk,
            "name": "handboek.pdf",
            "kind": "pdf",
            "content_type": "application/pdf",
            "size": file.size,
            "url": f"/knowledge/files/{file.pk}/",
        }
    ]
    draft = make_material(status=MaterialStatus.DRAFT)
    response = client.get(f"/api/v1/knowledge/materials/{draft.slug}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/knowledge/themes").json() == [
        {"slug": theme.slug, "name": "Samenspel"}
    ]


def test_a_contributor_reads_their_own_draft_with_a_token(client):
    profile = make_contributor()
    draft = make_material(status=MaterialStatus.DRAFT, by=profile.user)
    _token, raw = create_api_token(user=profile.user, name="script")
    url = f"/api/v1/knowledge/materials/{draft.slug}"
    response = client.get(url, headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
