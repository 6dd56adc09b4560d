"""A2 builders for the knowledge site. Published materials are public by design, so each
builder uses something only the owner may see: their own unpublished material, or (as a
knowledge editor) a material waiting for review."""

from leerorkest.knowledge.models import MaterialStatus
from leerorkest.knowledge.tests.builders import (
    make_contributor,
    make_editor,
    make_file,
    make_material,
)


def _own_draft(p):
    make_contributor(p.owner)
    return make_material(status=MaterialStatus.DRAFT, by=p.owner)


def _own_published(p):
    make_contributor(p.owner)
    return make_material(status=MaterialStatus.PUBLISHED, by=p.owner)


def _waiting_for_review(p):
    make_editor(p.owner)
    return make_material(status=MaterialStatus.SUBMITTED, by=p.member)


OBJECT_URLS = {
    "knowledge:material_detail": lambda p: ("get", {"slug": _own_draft(p).slug}),
    "knowledge:material_edit": lambda p: ("get", {"pk": _own_draft(p).pk}),
    "knowledge:file_download": lambda p: ("get", {"pk": make_file(_own_draft(p)).pk}),
    "knowledge:file_remove": lambda p: ("post", {"pk": make_file(_own_draft(p)).pk}),
    "knowledge:material_unpublish": lambda p: ("get", {"pk": _own_published(p).pk}),
    "knowledge:review": lambda p: ("get", {"pk": _waiting_for_review(p).pk}),
    # The link is the credential: a made-up token shows "no longer valid" with a 404.
    "knowledge:verify": lambda p: ("get", {"token": "not-a-real-verification-token"}),
}

CREDENTIAL_LINKS = {"knowledge:verify"}


def _own_file(p):
    material = _own_draft(p)
    return {"slug": material.slug, "file_id": make_file(material).pk}


OBJECT_OPERATIONS = {
    "/knowledge/materials/{slug}": lambda p: {"slug": _own_draft(p).slug},
    "/knowledge/materials/{slug}/files": lambda p: {"slug": _own_draft(p).slug},
    "/knowledge/materials/{slug}/files/{file_id}": _own_file,
    # Operations without a GET: (method, path parameters[, JSON body]).
    "/knowledge/materials/{slug}/submit": lambda p: ("post", {"slug": _own_draft(p).slug}),
    "/knowledge/materials/{slug}/approve": lambda p: (
        "post",
        {"slug": _waiting_for_review(p).slug},
    ),
    "/knowledge/materials/{slug}/reject": lambda p: (
        "post",
        {"slug": _waiting_for_review(p).slug},
        {"note": "Voeg bladmuziek toe."},
    ),
}
