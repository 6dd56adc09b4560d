"""Workflows on the repertoire: each runs in one transaction, refuses with a DomainError naming
the field, and writes the audit trail.

A part is graded on a milestone of its piece's learning line version and of its own instrument;
moving a piece to another version moves every part to the milestone of the same instrument and
stage there, or refuses when that version has none.
"""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.accounts.models import Organisation
from leerorkest.curriculum.models import LearningLine, LineStatus, Milestone
from leerorkest.programme.models import Ensemble, InstrumentType
from leerorkest.repertoire.models import (
    PROGRAMME_KINDS,
    Part,
    Performance,
    Piece,
    PieceFile,
    Visibility,
)
from leerorkest.uploads import AUDIO, SHEET_MUSIC, check_upload

PIECE_FIELDS = ("title", "composer", "arranger", "duration", "description", "visibility", "line")
MAX_FILE_BYTES = 25 * 1024 * 1024
FILE_KINDS = SHEET_MUSIC | AUDIO


def _check_line(organisation: Organisation, line: LearningLine) -> None:
    if line.status != LineStatus.PUBLISHED:
        raise DomainError(
            _("Choose a published learning line: a draft can still change its milestones."),
            field="line",
        )
    visible = LearningLine.objects.visible_to_organisations([organisation.pk])
    if not visible.filter(pk=line.pk).exists():
        raise DomainError(_("This learning line is not available to you."), field="line")


def _clean_piece(values: dict) -> dict:
    values = dict(values)
    for name in ("title", "composer", "arranger", "description"):
        values[name] = (values.get(name) or "").strip()
    if not values["title"]:
        raise DomainError(_("Give the piece a title."), field="title")
    if values.get("visibility", Visibility.PRIVATE) not in Visibility.values:
        raise DomainError(_("Choose who may see the piece."), field="visibility")
    duration = values.get("duration")
    if duration is not None and not 0 < duration <= 240:
        raise DomainError(_("A duration is between 1 and 240 minutes."), field="duration")
    return values


@transaction.atomic
def create_piece(*, organisation: Organisation, by, **values) -> Piece:
    """A new piece of `organisation`, graded on the milestones of `line` (published)."""
    if organisation.kind not in PROGRAMME_KINDS:
        raise DomainError(_("Only a programme owns repertoire."), code="not_a_programme")
    values = {k: values.get(k) for k in PIECE_FIELDS}
    values["visibility"] = values["visibility"] or Visibility.PRIVATE
    values = _clean_piece(values)
    if not isinstance(values["line"], LearningLine):
        raise DomainError(_("Choose a learning line."), field="line")
    _check_line(organisation, values["line"])
    piece = Piece.objects.create(organisation=organisation, created_by=by, **values)
    audit(actor=by, action="repertoire.piece_create", obj=piece)
    return piece


@transaction.atomic
def update_piece(*, piece: Piece, by, **values) -> Piece:
    """Change a piece; a new learning line moves each part to the same instrument and stage."""
    merged = {name: getattr(piece, name) for name in PIECE_FIELDS}
    merged.update({k: v for k, v in values.items() if k in PIECE_FIELDS})
    merged = _clean_piece(merged)
    new_line = merged["line"]
    if new_line.pk != piece.line_id:
        _check_line(piece.organisation, new_line)
        _move_parts(piece, new_line)
    for name, value in merged.items():
        setattr(piece, name, value)
    piece.save()
    audit(actor=by, action="repertoire.piece_update", obj=piece)
    return piece


def _move_parts(piece: Piece, line: LearningLine) -> None:
    parts = list(piece.parts.select_related("milestone", "instrument"))
    target = {(m.instrument_id, m.order): m for m in Milestone.objects.filter(line=line).order_by()}
    missing = [p for p in parts if (p.instrument_id, p.milestone.order) not in target]
    if missing:
        names = ", ".join(f"{p.name} ({p.milestone.name})" for p in missing)
        raise DomainError(
            _("This learning line has no matching milestone for: %(parts)s.") % {"parts": names},
            field="line",
        )
    for part in parts:
        part.milestone = target[(part.instrument_id, part.milestone.order)]
    Part.objects.bulk_update(parts, ["milestone"])


def _check_part(piece: Piece, name: str, instrument, milestone, exclude=None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the part, for example Viool 2."), field="name")
    taken = piece.parts.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise DomainError(_("The piece already has a part with this name."), field="name")
    if not isinstance(instrument, InstrumentType):
        raise DomainError(_("Choose an instrument."), field="instrument")
    if milestone is None or milestone.line_id != piece.line_id:
        raise DomainError(
            _("Choose a milestone of the piece's learning line (%(line)s).") % {"line": piece.line},
            field="milestone",
        )
    if milestone.instrument_id != instrument.pk:
        raise DomainError(
            _(
                "%(milestone)s is a milestone of another instrument: "
                "choose one of the %(instrument)s."
            )
            % {"milestone": milestone.name, "instrument": instrument.name.lower()},
            field="milestone",
        )
    return name


@transaction.atomic
def add_part(*, piece: Piece, name: str, instrument, milestone, required: bool = True, by) -> Part:
    """A part graded on a milestone of the piece's line and of the part's own instrument."""
    name = _check_part(piece, name, instrument, milestone)
    part = Part.objects.create(
        piece=piece, name=name, instrument=instrument, milestone=milestone, required=required
    )
    audit(actor=by, action="repertoire.part_add", obj=piece, part=part.pk)
    return part


@transaction.atomic
def update_part(*, part: Part, name: str, instrument, milestone, required: bool = True, by) -> Part:
    piece = part.piece
    part.name = _check_part(piece, name, instrument, milestone, exclude=part)
    part.instrument, part.milestone, part.required = instrument, milestone, required
    part.save()
    audit(actor=by, action="repertoire.part_update", obj=piece, part=part.pk)
    return part


@transaction.atomic
def delete_part(*, part: Part, by) -> None:
    """Remove a part, and the files that belong to it only."""
    piece = part.piece
    files = list(part.files.all())
    pk = part.pk
    part.delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.file.delete(save=False))
    audit(actor=by, action="repertoire.part_delete", obj=piece, part=pk)


@transaction.atomic
def add_file(*, piece: Piece, upload: UploadedFile, by, part: Part | None = None) -> PieceFile:
    """Keep a score, part or recording: recognised by its content (PDF, MusicXML or audio)."""
    kind = check_upload(upload, allowed=FILE_KINDS, max_bytes=MAX_FILE_BYTES, field="file")
    if part is not None and part.piece_id != piece.pk:
        raise DomainError(_("Choose a part of this piece."), field="part")
    original = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    # The stored name is ours: the piece's number and the extension of what the file is.
    upload.name = f"piece-{piece.pk}.{kind.extension}"
    stored = PieceFile.objects.create(
        piece=piece,
        part=part,
        kind=kind.name,
        file=upload,
        original_name=original,
        size=upload.size,
    )
    audit(actor=by, action="repertoire.file_add", obj=piece, file=stored.pk, kind=kind.name)
    return stored


@transaction.atomic
def delete_file(*, file: PieceFile, by) -> None:
    piece, pk = file.piece, file.pk
    file.delete()
    transaction.on_commit(lambda: file.file.delete(save=False))
    audit(actor=by, action="repertoire.file_delete", obj=piece, file=pk)


@transaction.atomic
def record_performance(
    *, piece: Piece, ensemble: Ensemble, on: date, occasion: str = "", by
) -> Performance:
    """The ensemble played the piece; only a piece its programme may play (its own or shared)."""
    if (
        not Piece.objects.visible_to_organisation(ensemble.organisation_id)
        .filter(pk=piece.pk)
        .exists()
    ):
        raise DomainError(_("This ensemble's programme cannot see the piece."), field="ensemble")
    if Performance.objects.filter(piece=piece, ensemble=ensemble, date=on).exists():
        raise DomainError(
            _("This performance is recorded already."), field="date", code="duplicate"
        )
    performance = Performance.objects.create(
        piece=piece, ensemble=ensemble, date=on, occasion=occasion.strip()[:150], created_by=by
    )
    audit(
        actor=by,
        action="repertoire.performance_add",
        obj=performance,
        organisation=ensemble.organisation_id,
        piece=piece.pk,
    )
    return performance


@transaction.atomic
def delete_performance(*, performance: Performance, by) -> None:
    organisation_id, piece_id = performance.ensemble.organisation_id, performance.piece_id
    audit(
        actor=by,
        action="repertoire.performance_delete",
        obj=performance,
        organisation=organisation_id,
        piece=piece_id,
    )
    performance.delete()
