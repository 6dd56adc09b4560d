"""Photos of instruments: taken on a phone at intake, after damage or after a repair, kept in
the media storage and shown only to the depot's own people (never a public URL)."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot.models import Instrument, InstrumentPhoto

MAX_BYTES = 10 * 1024 * 1024
# What the file must start with, per type we keep (the browser's content type is not trusted).
SIGNATURES = {
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def kind_of(head: bytes) -> str | None:
    for kind, starts in SIGNATURES.items():
        if any(head.startswith(start) for start in starts):
            if kind == "webp" and head[8:12] != b"WEBP":
                continue
            return kind
    return None


@transaction.atomic
def add_photo(*, instrument: Instrument, upload: UploadedFile, caption: str, by) -> InstrumentPhoto:
    if upload.size > MAX_BYTES:
        raise DomainError(
            _("The photo is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="image",
        )
    head = upload.read(16)
    upload.seek(0)
    kind = kind_of(head)
    if kind is None:
        raise DomainError(_("This is not a JPEG, PNG or WebP photo."), field="image")
    upload.name = f"{instrument.asset_tag}.{kind}"
    photo = InstrumentPhoto.objects.create(
        instrument=instrument,
        image=upload,
        caption=caption.strip()[:200],
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit(
        actor=by, action="depot.photo_added", obj=instrument, organisation=instrument.organisation
    )
    return photo


def content_type(photo: InstrumentPhoto) -> str:
    return CONTENT_TYPES.get(photo.image.name.rsplit(".", 1)[-1], "application/octet-stream")
