"""What can this orchestra play? For an ensemble, the milestone each playing member has reached
on their instrument, matched against the parts of every piece its programme may play.

A member's level is the stage (`order`) of the milestone on their newest progress record for
their instrument; without a record, or with a record below the first milestone, it is 0. Stages
are compared per instrument: when the record was made on another version of the learning line
than the piece's, stage 2 of the violin there counts as stage 2 of the violin here (versions copy
their milestones, so a stage keeps its meaning).

Each part needs its own player (a child is never counted for two parts). Required parts are
filled first, hardest first, each with the weakest player who is good enough, so the stronger
players stay free for the harder parts that follow; on one instrument the players who can play a
part can play every easier one too, so this greedy choice fills as many parts as possible.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from leerorkest.accounts.audit import audit
from leerorkest.curriculum.models import ProgressRecord
from leerorkest.programme.models import Ensemble, EnsembleMember
from leerorkest.repertoire.models import Part, Piece


@dataclass(frozen=True)
class Player:
    member_id: int
    pupil_id: int
    instrument_id: int
    level: int  # stage of the milestone reached; 0 = not yet at the first
    milestone_name: str


@dataclass
class PartOutcome:
    part: Part
    player: Player | None
    problem: str = ""


@dataclass
class PieceOutcome:
    piece: Piece
    parts: list[PartOutcome] = field(default_factory=list)

    @property
    def missing_required(self) -> list[PartOutcome]:
        return [o for o in self.parts if o.player is None and o.part.required]

    @property
    def missing_optional(self) -> list[PartOutcome]:
        return [o for o in self.parts if o.player is None and not o.part.required]

    @property
    def playable(self) -> bool:
        return not self.missing_required


@dataclass
class Finding:
    ensemble: Ensemble
    players: list[Player]
    without_instrument: int
    pieces: list[PieceOutcome]
    without_parts: int

    @property
    def playable_count(self) -> int:
        return sum(1 for p in self.pieces if p.playable)


def ensemble_players(ensemble: Ensemble) -> tuple[list[Player], int]:
    """The active members with an instrument and their level; and how many have no instrument."""
    members = list(
        EnsembleMember.objects.filter(ensemble=ensemble, status=EnsembleMember.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "pupil_id", "instrument_id")
    )
    placed = [m for m in members if m[2] is not None]
    records = (
        ProgressRecord.objects.filter(
            pupil_id__in=[m[1] for m in placed],
            instrument_id__in={m[2] for m in placed},
        )
        .order_by("pupil_id", "instrument_id", "-school_year__starts_on", "-term", "-recorded_at")
        .values_list("pupil_id", "instrument_id", "milestone__order", "milestone__name")
    )
    newest: dict[tuple[int, int], tuple[int, str]] = {}
    for pupil_id, instrument_id, order, name in records:
        newest.setdefault((pupil_id, instrument_id), (order or 0, name or ""))
    players = [
        Player(pk, pupil_id, instrument_id, *newest.get((pupil_id, instrument_id), (0, "")))
        for pk, pupil_id, instrument_id in placed
    ]
    return players, len(members) - len(placed)


def _problem(part: Part, everyone: list[Player]) -> str:
    instrument = part.instrument.name.lower()
    values = {"part": part.name, "instrument": instrument, "milestone": part.milestone.name}
    if not everyone:
        return _("%(part)s: nobody plays the %(instrument)s") % values
    best = max(everyone, key=lambda p: p.level)
    if best.level == 0:
        return (
            _(
                "%(part)s needs a %(instrument)s player at %(milestone)s; "
                "no %(instrument)s player has reached the first milestone yet"
            )
            % values
        )
    if best.level < part.milestone.order:
        values["best"] = best.milestone_name
        return (
            _(
                "%(part)s needs a %(instrument)s player at %(milestone)s; "
                "the best %(instrument)s player is at %(best)s"
            )
            % values
        )
    return (
        _(
            "%(part)s needs one more %(instrument)s player at %(milestone)s: "
            "those at that level play other parts"
        )
        % values
    )


def match_parts(parts: list[Part], players: list[Player]) -> list[PartOutcome]:
    """Give each part a player of its instrument at its milestone or above, no child twice."""
    by_instrument: dict[int, list[Player]] = defaultdict(list)
    for player in players:
        by_instrument[player.instrument_id].append(player)
    free = {
        key: sorted(value, key=lambda p: (p.level, p.member_id))
        for key, value in by_instrument.items()
    }
    outcomes = {}
    for part in sorted(parts, key=lambda p: (not p.required, -p.milestone.order, p.name, p.pk)):
        pool = free.get(part.instrument_id, [])
        chosen = next((p for p in pool if p.level >= part.milestone.order), None)
        if chosen is not None:
            pool.remove(chosen)
            outcomes[part.pk] = PartOutcome(part, chosen)
        else:
            problem = _problem(part, by_instrument.get(part.instrument_id, []))
            outcomes[part.pk] = PartOutcome(part, None, problem)
    return [outcomes[part.pk] for part in parts]


def find_repertoire(ensemble: Ensemble, *, by) -> Finding:
    """Every piece the ensemble's programme may play, playable ones first, then by how few
    required parts are missing. A constant number of queries, however many pieces there are.
    Reading the members' progress is audited."""
    players, without_instrument = ensemble_players(ensemble)
    if players:
        audit(
            actor=by,
            action="repertoire.finder",
            obj=ensemble,
            organisation=ensemble.organisation_id,
            pupil_ids=[p.pupil_id for p in players],
        )
    pieces = (
        Piece.objects.visible_to_organisation(ensemble.organisation_id)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=Part.objects.select_related("instrument", "milestone").order_by(
                    "instrument__sort_order", "name", "pk"
                ),
            )
        )
        .order_by("title", "pk")
    )
    outcomes, without_parts = [], 0
    for piece in pieces:
        parts = list(piece.parts.all())
        if not parts:
            without_parts += 1
            continue
        outcomes.append(PieceOutcome(piece, match_parts(parts, players)))
    outcomes.sort(
        key=lambda o: (
            len(o.missing_required),
            len(o.missing_optional),
            o.piece.title.lower(),
            o.piece.pk,
        )
    )
    return Finding(ensemble, players, without_instrument, outcomes, without_parts)
