"""API of the repertoire: read pieces as on the pages (own organisations' pieces and shared
ones), write for the owner's coordinators, and the finder for an ensemble."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.curriculum.models import LearningLine, Milestone
from leerorkest.idempotency import IdempotencyKey
from leerorkest.programme.access_programme import get_ensemble_for_teacher, managed_programmes
from leerorkest.programme.models import InstrumentType
from leerorkest.repertoire import actions
from leerorkest.repertoire.access import (
    READERS,
    WRITERS,
    get_piece_for_user,
    pieces_for_user,
)
from leerorkest.repertoire.finder import find_repertoire
from leerorkest.repertoire.models import Part, Visibility
from leerorkest.repertoire.views import filter_pieces

router = Router(tags=["repertoire"])


class PartOut(Schema):
    id: int
    name: str
    instrument: str
    instrument_code: str
    milestone_id: int
    milestone: str
    stage: int
    notes: str
    required: bool


class PieceOut(Schema):
    id: int
    title: str
    composer: str
    arranger: str
    duration: int | None
    visibility: str
    owner: str
    owner_id: int
    line_id: int
    parts: list[PartOut]


class PieceFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    part_id: int | None


class PerformanceOut(Schema):
    date: date
    ensemble: str | None  # only for the caller's own programmes' ensembles
    programme: str
    occasion: str


class PieceDetailOut(PieceOut):
    description: str
    files: list[PieceFileOut]
    performances: list[PerformanceOut]


class PieceIn(Schema):
    title: str = Field(..., max_length=200)
    composer: str = Field("", max_length=150)
    arranger: str = Field("", max_length=150)
    duration: int | None = Field(None, ge=1, le=240)
    description: str = Field("", max_length=5000)
    visibility: Visibility = Visibility.PRIVATE
    line_id: int


class PiecePatch(Schema):
    title: str | None = Field(None, max_length=200)
    composer: str | None = Field(None, max_length=150)
    arranger: str | None = Field(None, max_length=150)
    duration: int | None = Field(None, ge=1, le=240)
    description: str | None = Field(None, max_length=5000)
    visibility: Visibility | None = None
    line_id: int | None = None


class PiecePartIn(Schema):
    name: str = Field(..., max_length=80)
    instrument: str = Field(..., max_length=40, description="Instrument code, e.g. violin")
    milestone_id: int
    required: bool = True


class MissingOut(Schema):
    part_id: int
    part: str
    required: bool
    problem: str


class FinderPieceOut(Schema):
    piece_id: int
    title: str
    playable: bool
    missing_required: int
    missing: list[MissingOut]


class FinderOut(Schema):
    ensemble_id: int
    players: int
    without_instrument: int
    pieces: list[FinderPieceOut]


def _part(part: Part) -> dict:
    return {
        "id": part.pk,
        "name": part.name,
        "instrument": part.instrument.name,
        "instrument_code": part.instrument.code,
        "milestone_id": part.milestone_id,
        "milestone": part.milestone.name,
        "stage": part.milestone.order,
        "notes": part.milestone.notes,
        "required": part.required,
    }


def _piece(piece) -> dict:
    return {
        "id": piece.pk,
        "title": piece.title,
        "composer": piece.composer,
        "arranger": piece.arranger,
        "duration": piece.duration,
        "visibility": piece.visibility,
        "owner": piece.organisation.name,
        "owner_id": piece.organisation_id,
        "line_id": piece.line_id,
        "parts": [_part(p) for p in piece.parts.all()],
    }


PARTS = Prefetch(
    "parts",
    queryset=Part.objects.select_related("instrument", "milestone").order_by(
        "instrument__sort_order", "name", "pk"
    ),
)


def _detail(request, pk: int) -> dict:
    piece = (
        pieces_for_user(request.user)
        .select_related("organisation")
        .prefetch_related(PARTS)
        .filter(pk=pk)
        .first()
    )
    if piece is None:
        raise Http404
    own = set(request.user.memberships.values_list("organisation_id", flat=True))
    own |= set(managed_programmes(request.user).values_list("pk", flat=True))
    performances = piece.performances.select_related("ensemble__organisation")
    return {
        **_piece(piece),
        "description": piece.description,
        "files": [
            {
                "id": f.pk,
                "name": f.download_name,
                "kind": f.kind,
                "size": f.size,
                "part_id": f.part_id,
            }
            for f in piece.files.all()
        ],
        "performances": [
            {
                "date": p.date,
                "ensemble": p.ensemble.name if p.ensemble.organisation_id in own else None,
                "programme": p.ensemble.organisation.name,
                "occasion": p.occasion,
            }
            for p in performances
        ],
    }


def _line(line_id: int) -> LearningLine:
    line = LearningLine.objects.filter(pk=line_id).first()
    if line is None:
        raise DomainError(_("No such learning line."), field="line")
    return line


@router.get("/repertoire/pieces", response=list[PieceOut], summary="Pieces I may see")
@rule(READERS)
def piece_list(
    request,
    instrument: str | None = Query(None, max_length=40, description="Instrument code"),
    level: int | None = Query(None, ge=1, le=20, description="Hardest part at most this stage"),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(100, ge=1, le=200),
):
    instrument_id = None
    if instrument:
        found = InstrumentType.objects.filter(code=instrument).first()
        if found is None:
            return []
        instrument_id = found.pk
    pieces = filter_pieces(
        pieces_for_user(request.user), instrument=instrument_id, level=level, query=q.strip()
    )
    pieces = pieces.select_related("organisation").prefetch_related(PARTS).order_by("title", "pk")
    return [_piece(p) for p in pieces[offset : offset + limit]]


@router.get("/repertoire/pieces/{piece_id}", response=PieceDetailOut, summary="One piece")
@rule(READERS)
def piece_detail(request, piece_id: int):
    return _detail(request, piece_id)


@router.post("/repertoire/pieces", response={201: PieceDetailOut}, summary="Add a piece")
@rule(WRITERS)
def piece_create(request, payload: PieceIn, idempotency_key: IdempotencyKey = None):
    programmes = list(managed_programmes(request.user)[:2])
    if len(programmes) != 1:
        raise DomainError(
            _("You coordinate more than one programme: add the piece on the page."),
            code="ambiguous_programme",
        )
    values = payload.dict()
    values["line"] = _line(values.pop("line_id"))
    piece = actions.create_piece(organisation=programmes[0], by=request.user, **values)
    return Status(201, _detail(request, piece.pk))


@router.patch("/repertoire/pieces/{piece_id}", response=PieceDetailOut, summary="Change a piece")
@rule(WRITERS)
def piece_change(
    request, piece_id: int, payload: PiecePatch, idempotency_key: IdempotencyKey = None
):
    piece = get_piece_for_user(request.user, piece_id, write=True)
    values = payload.dict(exclude_unset=True)
    if "line_id" in values:
        values["line"] = _line(values.pop("line_id"))
    actions.update_piece(piece=piece, by=request.user, **values)
    return _detail(request, piece.pk)


@router.get(
    "/repertoire/pieces/{piece_id}/parts", response=list[PartOut], summary="Parts of a piece"
)
@rule(READERS)
def part_list(request, piece_id: int):
    piece = get_piece_for_user(request.user, piece_id)
    return [_part(p) for p in piece.parts.select_related("instrument", "milestone")]


@router.post("/repertoire/pieces/{piece_id}/parts", response={201: PartOut}, summary="Add a part")
@rule(WRITERS)
def part_add(request, piece_id: int, payload: PiecePartIn, idempotency_key: IdempotencyKey = None):
    piece = get_piece_for_user(request.user, piece_id, write=True)
    instrument = InstrumentType.objects.filter(code=payload.instrument).first()
    if instrument is None:
        raise DomainError(_("Unknown instrument."), field="instrument")
    milestone = Milestone.objects.filter(pk=payload.milestone_id).first()
    part = actions.add_part(
        piece=piece,
        name=payload.name,
        instrument=instrument,
        milestone=milestone,
        required=payload.required,
        by=request.user,
    )
    part = Part.objects.select_related("instrument", "milestone").get(pk=part.pk)
    return Status(201, _part(part))


@router.get(
    "/repertoire/ensembles/{ensemble_id}/finder",
    response=FinderOut,
    summary="What can this ensemble play?",
)
@rule(READERS)
def finder(request, ensemble_id: int):
    ensemble = get_ensemble_for_teacher(request.user, ensemble_id)
    finding = find_repertoire(ensemble, by=request.user)
    return {
        "ensemble_id": ensemble.pk,
        "players": len(finding.players),
        "without_instrument": finding.without_instrument,
        "pieces": [
            {
                "piece_id": o.piece.pk,
                "title": o.piece.title,
                "playable": o.playable,
                "missing_required": len(o.missing_required),
                "missing": [
                    {
                        "part_id": m.part.pk,
                        "part": m.part.name,
                        "required": m.part.required,
                        "problem": m.problem,
                    }
                    for m in o.parts
                    if m.player is None
                ],
            }
            for o in finding.pieces
        ],
    }
