"""The repertoire API: read as on the pages, write for the owner's coordinators, the finder."""

from leerorkest.accounts.actions import create_api_token
from leerorkest.repertoire.models import Part, Piece
from leerorkest.repertoire.tests.builders import (
    build_line,
    build_piece,
    build_players,
    milestone,
    place,
)


def _headers(user):
    _token, raw = create_api_token(user=user, name="test")
    return {"authorization": f"Bearer {raw}"}


def test_pieces_list_and_detail_with_parts(client, personas):
    line = build_line(personas.organisation)
    piece = build_piece(
        personas.organisation,
        line,
        [("Viool 1", "violin", 2), ("Slagwerk 2", "percussion", 1, False)],
        title="Titanic",
        composer="James Horner",
    )
    build_piece(personas.other, build_line(personas.other), [], title="Elders")
    headers = _headers(personas.member)
    response = client.get("/api/v1/repertoire/pieces", headers=headers)
    assert response.status_code == 200
    [only] = response.json()
    assert only["title"] == "Titanic"
    assert [(p["name"], p["stage"], p["required"]) for p in only["parts"]] == [
        ("Viool 1", 2, True),
        ("Slagwerk 2", 1, False),
    ]
    params = {"instrument": "cello"}
    assert client.get("/api/v1/repertoire/pieces", params, headers=headers).json() == []
    params = {"level": 2, "q": "horner"}
    assert len(client.get("/api/v1/repertoire/pieces", params, headers=headers).json()) == 1
    detail = client.get(f"/api/v1/repertoire/pieces/{piece.pk}", headers=headers).json()
    assert detail["files"] == [] and detail["performances"] == []


def test_owner_creates_and_changes_a_piece_and_adds_parts(client, personas):
    line = build_line(personas.organisation)
    headers = _headers(personas.owner)
    response = client.post(
        "/api/v1/repertoire/pieces",
        {"title": "Ode", "line_id": line.pk, "visibility": "shared"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.json()
    piece = Piece.objects.get()
    url = f"/api/v1/repertoire/pieces/{piece.pk}"
    response = client.patch(
        url, {"composer": "Beethoven"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200 and response.json()["composer"] == "Beethoven"
    bad = {"name": "Cello", "instrument": "cello", "milestone_id": milestone(line, "violin", 1).pk}
    response = client.post(f"{url}/parts", bad, content_type="application/json", headers=headers)
    assert response.status_code == 400 and not Part.objects.exists()
    good = {**bad, "milestone_id": milestone(line, "cello", 1).pk}
    response = client.post(f"{url}/parts", good, content_type="application/json", headers=headers)
    assert response.status_code == 201 and response.json()["instrument_code"] == "cello"
    assert len(client.get(f"{url}/parts", headers=headers).json()) == 1
    # A teacher reads but does not write.
    teacher = _headers(personas.member)
    response = client.patch(url, {"title": "X"}, content_type="application/json", headers=teacher)
    assert response.status_code == 403


def test_finder_for_an_ensemble(client, personas):
    org = personas.organisation
    line = build_line(org)
    ensemble, players = build_players(org, [("violin", 2)])
    place(players, line)
    build_piece(org, line, [("Viool", "violin", 2)], title="Yes")
    build_piece(org, line, [("Viool", "violin", 2), ("Tuba", "trumpet", 1)], title="No")
    response = client.get(
        f"/api/v1/repertoire/ensembles/{ensemble.pk}/finder", headers=_headers(personas.owner)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["players"] == 1
    assert [(p["title"], p["playable"], p["missing_required"]) for p in body["pieces"]] == [
        ("Yes", True, 0),
        ("No", False, 1),
    ]
    assert body["pieces"][1]["missing"][0]["part"] == "Tuba"
