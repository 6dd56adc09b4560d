"""Checking uploaded files by what they contain, never by their name or the browser's word.

`check_upload` reads the start of a file (and, for a zip or XML file, a little more) and says
which kind it is; anything not on the caller's list, or larger than its limit, is refused with a
message for the form. Kinds that a browser could run (HTML, SVG, scripts, programs) are never
recognised, so they can never be allowed.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError

HEAD_BYTES = 64
XML_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str
    content_type: str
    label: str  # for messages: the kinds that are allowed


KINDS = {
    k.name: k
    for k in (
        Kind("pdf", "pdf", "application/pdf", "PDF"),
        Kind("musicxml", "musicxml", "application/vnd.recordare.musicxml+xml", "MusicXML"),
        Kind("mxl", "mxl", "application/vnd.recordare.musicxml", "MusicXML (.mxl)"),
        Kind("mp3", "mp3", "audio/mpeg", "MP3"),
        Kind("ogg", "ogg", "audio/ogg", "Ogg"),
        Kind("wav", "wav", "audio/wav", "WAV"),
        Kind("m4a", "m4a", "audio/mp4", "M4A"),
        Kind("mp4", "mp4", "video/mp4", "MP4"),
        Kind("png", "png", "image/png", "PNG"),
        Kind("jpg", "jpg", "image/jpeg", "JPEG"),
        Kind("webp", "webp", "image/webp", "WebP"),
    )
}
DOCUMENTS = frozenset({"pdf"})
SHEET_MUSIC = frozenset({"pdf", "musicxml", "mxl"})
AUDIO = frozenset({"mp3", "ogg", "wav", "m4a"})
VIDEO = frozenset({"mp4"})
IMAGES = frozenset({"png", "jpg", "webp"})


_ROOT = re.compile(rb"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->|\s+", re.DOTALL)


def _xml_kind(head: bytes) -> str | None:
    """MusicXML when the root element (after the declaration, doctype and comments) is a score."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    if not text.lstrip().startswith(b"<"):
        return None
    position = 0
    while match := _ROOT.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    rest = text[position:]
    if rest.startswith((b"<score-partwise", b"<score-timewise")):
        return "musicxml"
    return None


def _zip_kind(upload: UploadedFile) -> str | None:
    """A compressed MusicXML file: a zip with META-INF/container.xml (and nothing that runs)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "META-INF/container.xml" not in names:
        return None
    return "mxl"


def sniff(upload: UploadedFile) -> str | None:
    """The kind of the file's content, or None when it is none of `KINDS`."""
    upload.seek(0)
    head = upload.read(XML_SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "m4a" if brand in (b"M4A ", b"M4B ") else "mp4"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return _xml_kind(head)


def check_upload(
    upload: UploadedFile, *, allowed: frozenset[str], max_bytes: int, field: str = "file"
) -> Kind:
    """The kind of an acceptable upload; a DomainError naming `field` otherwise."""
    if upload.size is None or upload.size == 0:
        raise DomainError(_("The file is empty."), field=field)
    if upload.size > max_bytes:
        raise DomainError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)},
            field=field,
        )
    kind = sniff(upload)
    if kind not in allowed:
        labels = ", ".join(sorted(KINDS[k].label for k in allowed))
        raise DomainError(
            _("This file is not one of the kinds accepted here (%(kinds)s).") % {"kinds": labels},
            field=field,
        )
    return KINDS[kind]
