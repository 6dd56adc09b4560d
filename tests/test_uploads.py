"""Uploads are recognised by their content: only the kinds a caller allows get through."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from leerorkest.accounts.actions import DomainError
from leerorkest.uploads import AUDIO, IMAGES, SHEET_MUSIC, check_upload, sniff

MUSICXML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
    b'"http://www.musicxml.org/dtds/partwise.dtd">\n<!-- made by hand -->\n'
    b'<score-partwise version="4.0"><part-list/></score-partwise>'
)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "file.bin", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (MUSICXML, "musicxml"),
        (_zip({"META-INF/container.xml": b"<container/>", "score.xml": MUSICXML}), "mxl"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3"),
        (b"OggS\x00\x02" + b"\x00" * 20, "ogg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "m4a"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "mp4"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
    ],
)
def test_each_kind_is_recognised_by_its_content(data, kind):
    # The name and the browser's content type say otherwise: only the bytes count.
    assert sniff(upload(data, "innocent.txt", "text/plain")) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<!-- <score-partwise> --></svg>",
        b'<?xml version="1.0"?><!-- <score-partwise --><svg/>',
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"#!/bin/sh\nrm -rf /\n",
        _zip({"evil.exe": b"MZ"}),  # a zip that is not a MusicXML file
        b"just some text",
    ],
)
def test_what_a_browser_could_run_is_never_recognised(data):
    assert sniff(upload(data, "score.pdf")) is None
    with pytest.raises(DomainError, match="not one of the kinds") as refused:
        check_upload(
            upload(data, "score.pdf"), allowed=SHEET_MUSIC | AUDIO | IMAGES, max_bytes=10**6
        )
    assert refused.value.field == "file"


def test_a_kind_the_caller_does_not_allow_is_refused_naming_the_allowed_ones():
    with pytest.raises(DomainError) as refused:
        check_upload(upload(b"OggS" + b"\x00" * 30), allowed=SHEET_MUSIC, max_bytes=10**6)
    assert "MusicXML" in refused.value.message and "PDF" in refused.value.message


def test_size_limit_and_empty_files():
    with pytest.raises(DomainError, match="larger than"):
        check_upload(upload(b"%PDF-" + b"x" * 2000), allowed=SHEET_MUSIC, max_bytes=1000)
    with pytest.raises(DomainError, match="empty"):
        check_upload(upload(b""), allowed=SHEET_MUSIC, max_bytes=1000)
    kind = check_upload(upload(b"%PDF-1.4 ok"), allowed=SHEET_MUSIC, max_bytes=1000)
    assert (kind.name, kind.content_type, kind.extension) == ("pdf", "application/pdf", "pdf")
