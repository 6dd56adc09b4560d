"""A2 builders for the repertoire pages and API: private pieces of the owner's programme (a
shared piece is meant to be seen by other programmes)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from leerorkest.repertoire import actions
from leerorkest.repertoire.models import Performance
from leerorkest.repertoire.tests.builders import build_line, build_piece
from tests.access_teachers import build_ensemble

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _piece(p):
    line = build_line(p.organisation)
    return build_piece(p.organisation, line, [("Viool 1", "violin", 2)])


def _part(p):
    return _piece(p).parts.get()


def _file(p):
    piece = _piece(p)
    upload = SimpleUploadedFile("score.pdf", PDF, content_type="application/pdf")
    return actions.add_file(piece=piece, upload=upload, by=p.owner)


def _performance(p):
    piece = _piece(p)
    ensemble = build_ensemble(p.organisation, players=1)
    return Performance.objects.create(piece=piece, ensemble=ensemble, date=date(2026, 6, 20))


OBJECT_URLS = {
    "repertoire:piece_detail": lambda p: ("get", {"pk": _piece(p).pk}),
    "repertoire:piece_edit": lambda p: ("get", {"pk": _piece(p).pk}),
    "repertoire:part_add": lambda p: ("get", {"pk": _piece(p).pk}),
    "repertoire:part_edit": lambda p: ("get", {"pk": _part(p).pk}),
    "repertoire:part_delete": lambda p: ("post", {"pk": _part(p).pk}),
    "repertoire:file_add": lambda p: ("get", {"pk": _piece(p).pk}),
    "repertoire:file_download": lambda p: ("get", {"pk": _file(p).pk}),
    "repertoire:file_delete": lambda p: ("post", {"pk": _file(p).pk}),
    "repertoire:performance_add": lambda p: ("get", {"pk": _piece(p).pk}),
    "repertoire:performance_delete": lambda p: ("post", {"pk": _performance(p).pk}),
    "repertoire:finder": lambda p: ("get", {"pk": build_ensemble(p.organisation).pk}),
}

OBJECT_OPERATIONS = {
    "/repertoire/pieces/{piece_id}": lambda p: {"piece_id": _piece(p).pk},
    "/repertoire/pieces/{piece_id}/parts": lambda p: {"piece_id": _piece(p).pk},
    "/repertoire/ensembles/{ensemble_id}/finder": lambda p: {
        "ensemble_id": build_ensemble(p.organisation).pk
    },
}
