"""The committed OpenAPI document is the API as it is; regenerate it when the API changes:

    uv run leerorkest export_openapi_schema --api leerorkest.api.api --indent 2 \\
        --output docs/openapi.json
"""

import json
from pathlib import Path

from leerorkest.api import api

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_committed_openapi_matches_the_api():
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    current = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    assert committed == current, "docs/openapi.json is out of date: " + __doc__


def test_openapi_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/organisations/{org_id}" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
