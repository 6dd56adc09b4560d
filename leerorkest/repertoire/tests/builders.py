"""Builders for the repertoire tests: a published learning line with milestones, pieces with
graded parts, progress records and ensembles with players."""

import itertools

from leerorkest.curriculum.models import (
    LearningLine,
    LineStatus,
    Milestone,
    ProgressRecord,
    Visibility,
)
from leerorkest.programme.models import EnsembleMember
from leerorkest.repertoire.models import Part, Piece
from leerorkest.testing import instrument
from tests.access_teachers import build_ensemble, current_year

_names = itertools.count(1)
INSTRUMENTS = ("violin", "cello", "trumpet", "percussion")


def build_line(organisation, *, stages: int = 4, shared: bool = False, version: int = 1):
    """A published line of `organisation` with milestones 1..stages for the common instruments."""
    line = LearningLine.objects.create(
        organisation=organisation,
        name=f"Leerlijn {next(_names)}",
        version=version,
        status=LineStatus.PUBLISHED,
        visibility=Visibility.SHARED if shared else Visibility.PRIVATE,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                line=line,
                instrument=instrument(code),
                order=order,
                name=f"Ijkpunt {order}",
                notes="D4 E4 F#4",
            )
            for code in INSTRUMENTS
            for order in range(1, stages + 1)
        ]
    )
    return line


def milestone(line, code: str, order: int) -> Milestone:
    return Milestone.objects.get(line=line, instrument__code=code, order=order)


def build_piece(organisation, line, parts=(), *, shared: bool = False, title: str = "", **fields):
    """A piece with parts given as (name, instrument code, stage[, required])."""
    piece = Piece.objects.create(
        organisation=organisation,
        line=line,
        title=title or f"Stuk {next(_names)}",
        visibility="shared" if shared else "private",
        **fields,
    )
    for spec in parts:
        name, code, order, *rest = spec
        Part.objects.create(
            piece=piece,
            name=name,
            instrument=instrument(code),
            milestone=milestone(line, code, order),
            required=rest[0] if rest else True,
        )
    return piece


def build_players(programme, players):
    """An ensemble whose active members play the given (instrument code, stage or None)."""
    ensemble = build_ensemble(programme, players=len(players))
    members = list(ensemble.members.filter(status=EnsembleMember.Status.ACTIVE).order_by("pk"))
    return ensemble, [
        (member, code, stage) for member, (code, stage) in zip(members, players, strict=True)
    ]


def place(ensemble_players, line, *, year=None, term: int = 1):
    """Give each member their instrument and a progress record at their stage (None: none)."""
    year = year or current_year()
    for member, code, stage in ensemble_players:
        member.instrument = instrument(code)
        member.save(update_fields=["instrument"])
        if stage is None:
            continue
        ProgressRecord.objects.create(
            organisation=member.ensemble.organisation,
            pupil=member.pupil,
            school_year=year,
            term=term,
            instrument=member.instrument,
            milestone=milestone(line, code, stage) if stage else None,
        )
