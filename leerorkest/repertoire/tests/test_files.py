"""Files of a piece: recognised by content, downloaded as attachments; performances."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerorkest.accounts.roles import Role
from leerorkest.repertoire.models import Performance, PieceFile
from leerorkest.repertoire.tests.builders import build_line, build_piece
from leerorkest.testing import make_member
from tests.access_repertoire import PDF
from tests.access_teachers import build_ensemble

MUSICXML = b'<?xml version="1.0"?>\n<score-partwise version="4.0"></score-partwise>\n'


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_scores_and_recordings_are_kept_and_downloaded_as_attachments(client, personas):
    line = build_line(personas.organisation)
    piece = build_piece(personas.organisation, line, [("Viool 1", "violin", 1)])
    part = piece.parts.get()
    client.force_login(personas.owner)
    url = reverse("repertoire:file_add", args=[piece.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _upload("Partituur.pdf", PDF), "part": ""})
    assert response.status_code == 302
    response = client.post(url, {"file": _upload("viool1.xml", MUSICXML), "part": part.pk})
    assert response.status_code == 302
    score, violin = PieceFile.objects.order_by("pk")
    assert (score.kind, score.part, score.original_name) == ("pdf", None, "Partituur.pdf")
    assert (violin.kind, violin.part) == ("musicxml", part)
    # The owner's teachers download it; never shown inline, never sniffed.
    client.force_login(personas.member)
    response = client.get(reverse("repertoire:file_download", args=[violin.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="viool1.musicxml"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/vnd.recordare.musicxml+xml"
    assert b"".join(response.streaming_content) == MUSICXML
    client.force_login(personas.owner)
    client.post(reverse("repertoire:file_delete", args=[score.pk]))
    assert list(PieceFile.objects.all()) == [violin]


def test_a_file_that_is_not_sheet_music_or_audio_is_refused(client, personas):
    line = build_line(personas.organisation)
    piece = build_piece(personas.organisation, line)
    client.force_login(personas.owner)
    url = reverse("repertoire:file_add", args=[piece.pk])
    for name, content in [
        ("score.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
        ("empty.pdf", b""),
    ]:
        response = client.post(url, {"file": _upload(name, content, "application/pdf")})
        assert response.status_code == 400, name
        assert response.context["form"].errors["file"]
    assert not PieceFile.objects.exists()


def test_teachers_of_the_owner_cannot_add_files(client, personas):
    line = build_line(personas.organisation)
    piece = build_piece(personas.organisation, line)
    client.force_login(personas.member)
    response = client.post(
        reverse("repertoire:file_add", args=[piece.pk]), {"file": _upload("a.pdf", PDF)}
    )
    assert response.status_code == 403
    assert not PieceFile.objects.exists()


def test_a_programme_records_its_own_ensembles_performances_of_shared_pieces(client, personas):
    line = build_line(personas.other, shared=True)
    shared = build_piece(personas.other, line, shared=True, title="Gedeeld")
    ensemble = build_ensemble(personas.organisation, players=1, name="Leerorkest Oost 6")
    other_ensemble = build_ensemble(personas.other, players=1, name="Elders 6")
    client.force_login(personas.owner)
    url = reverse("repertoire:performance_add", args=[shared.pk])
    response = client.post(url, {"ensemble": other_ensemble.pk, "date": "2026-06-20"})
    assert response.status_code == 400
    assert response.context["form"].errors["ensemble"]
    data = {"ensemble": ensemble.pk, "date": "2026-06-20", "occasion": "Zomerconcert"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400  # the same one twice
    performance = Performance.objects.get()
    assert performance.date == date(2026, 6, 20) and performance.created_by == personas.owner
    # The piece's owner sees that it was played, and by which programme, not which ensemble.
    client.force_login(make_member(personas.other, Role.TEACHER))
    html = client.get(reverse("repertoire:piece_detail", args=[shared.pk])).content.decode()
    assert "Leerorkest Oost" in html and "Leerorkest Oost 6" not in html
    client.force_login(personas.owner)
    html = client.get(reverse("repertoire:piece_detail", args=[shared.pk])).content.decode()
    assert "Leerorkest Oost 6" in html and "Zomerconcert" in html
    # Only the ensemble's programme removes it.
    client.force_login(personas.outsider)
    delete = reverse("repertoire:performance_delete", args=[performance.pk])
    assert client.post(delete).status_code == 404
    client.force_login(personas.owner)
    assert client.post(delete).status_code == 302
    assert not Performance.objects.exists()
